package org.ebpf4j.spec.helper;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramType;

/**
 * Which helpers each program type may call: the kernel's per-type {@code get_func_proto} (sk_filter_func_proto,
 * tc_cls_act_func_proto, xdp_func_proto, kprobe_prog_func_proto, ...), each ending in bpf_base_func_proto or
 * bpf_tracing_func_proto, for a privileged loader (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN) and a kernel that is not
 * locked down.
 *
 * <p>The lists were recorded from Linux 6.18 (x86_64) rather than transcribed: for each program type and each
 * helper id, a root {@code BPF_PROG_LOAD} of {@code call id; r0 = 0; exit} either fails with "program of this type
 * cannot use helper" (not in the list) or gets past that check. Program types not listed here are not described
 * yet: {@link #availability} says so rather than guessing.
 */
public final class ProgramHelpers {
    private ProgramHelpers() {}

    /** Whether a program type may call a helper, as far as this table knows. */
    public enum Availability {
        /** The kernel gives the program type a prototype for the helper. */
        ALLOWED,
        /** The kernel refuses the call: "program of this type cannot use helper". */
        REFUSED,
        /** This table does not describe the program type yet. */
        UNKNOWN
    }

    private static final Map<ProgramType, BitSet> ALLOWED = new EnumMap<>(ProgramType.class);
    /** Helpers a type gives only to programs loaded for some attach types, on top of {@link #ALLOWED}. */
    private static final Map<TypeAndAttach, BitSet> BY_ATTACH = new HashMap<>();

    private record TypeAndAttach(ProgramType type, int attach) {}

    static {
        record(ProgramType.SOCKET_FILTER,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 26, 35, 37, 42, 46, 47, 55, 68, 80, 87, 88, 89, 93,
                94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130, 131, 132, 133, 134, 136,
                137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175,
                176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210,
                211);
        record(ProgramType.KPROBE,
                1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88, 89, 93,
                94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141, 148,
                149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177, 180, 181, 182,
                191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.SCHED_CLS,
                1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29,
                30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 50, 55, 66, 68, 69, 79, 80, 83, 84,
                85, 86, 87, 88, 89, 93, 94, 95, 96, 97, 98, 99, 100, 105, 106, 107, 108, 109, 110, 112, 113, 114,
                115, 117, 118, 120, 122, 123, 124, 125, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141,
                148, 149, 151, 152, 153, 154, 155, 156, 157, 158, 160, 163, 164, 165, 169, 170, 171, 172, 175, 176,
                177, 178, 180, 181, 182, 191, 192, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206,
                207, 208, 209, 210, 211);
        record(ProgramType.SCHED_ACT,
                1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29,
                30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 50, 55, 66, 68, 69, 79, 80, 83, 84,
                85, 86, 87, 88, 89, 93, 94, 95, 96, 97, 98, 99, 100, 105, 106, 107, 108, 109, 110, 112, 113, 114,
                115, 117, 118, 120, 122, 123, 124, 125, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141,
                148, 149, 151, 152, 153, 154, 155, 156, 157, 158, 160, 163, 164, 165, 169, 170, 171, 172, 175, 176,
                177, 178, 180, 181, 182, 191, 192, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206,
                207, 208, 209, 210, 211);
        record(ProgramType.TRACEPOINT,
                1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88, 89, 93,
                94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141, 148,
                149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177, 180, 181, 182,
                191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.XDP,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 23, 25, 28, 35, 37, 42, 44, 51, 54, 55, 65, 69, 80, 84,
                85, 86, 87, 88, 89, 93, 94, 99, 100, 105, 106, 109, 110, 112, 113, 114, 115, 117, 118, 120, 123, 125,
                130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 163,
                164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 188, 189, 190, 191, 194, 195, 196,
                197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211);
        record(ProgramType.PERF_EVENT,
                1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 56, 67, 80, 87, 88, 89,
                93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 119, 120, 123, 125, 130, 131, 132, 133, 134,
                141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177, 180,
                181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.CGROUP_SKB,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 26, 35, 37, 42, 46, 47, 55, 68, 79, 80, 81, 83, 84,
                85, 86, 87, 88, 89, 93, 94, 95, 96, 97, 98, 99, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117,
                118, 120, 122, 123, 125, 128, 129, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149,
                153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191,
                194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.LWT_OUT,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 24, 25, 26, 28, 33, 34, 35, 37, 39, 42, 55, 80, 87, 88,
                89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 136,
                137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175,
                176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210,
                211);
        record(ProgramType.SK_SKB,
                1, 2, 3, 5, 6, 7, 8, 9, 12, 14, 15, 16, 17, 22, 25, 26, 35, 37, 38, 39, 42, 43, 46, 47, 50, 52, 55,
                72, 80, 84, 85, 86, 87, 88, 89, 93, 94, 99, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123,
                125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160,
                164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199,
                200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.RAW_TRACEPOINT,
                1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88, 89, 93,
                94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141, 148,
                149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177, 180, 181, 182,
                191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.SK_LOOKUP,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 80, 86, 87, 88, 89, 93, 94, 105, 106,
                109, 112, 113, 114, 115, 117, 118, 120, 123, 124, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139,
                140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178,
                180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.CGROUP_SOCK,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 46, 55, 80, 81, 87, 88, 89, 93, 94, 105,
                106, 107, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130, 131, 132, 133, 134, 141, 148,
                149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182, 186,
                187, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.NETFILTER,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 35, 37, 42, 55, 80, 87, 88, 89, 93, 94, 105, 106, 109,
                112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141, 148, 149, 153, 154, 156,
                157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182, 191, 194, 195, 197, 198, 199,
                200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.SOCK_OPS,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 46, 49, 53, 55, 57, 59, 70, 80, 81, 87,
                88, 89, 93, 94, 96, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130,
                131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 142, 143, 144, 148, 149, 153, 154, 156, 157, 158,
                160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198,
                199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.CGROUP_SYSCTL,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 80, 81, 87, 88, 89, 93, 94, 101, 102,
                103, 104, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141,
                148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182,
                186, 187, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.CGROUP_SOCKOPT,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 80, 81, 87, 88, 89, 93, 94, 96, 105,
                106, 107, 108, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130, 131, 132, 133, 134, 141,
                148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182, 186,
                187, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.FLOW_DISSECTOR,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 26, 35, 37, 42, 55, 80, 87, 88, 89, 93, 94, 105, 106,
                109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140,
                141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180,
                181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.LWT_IN,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 24, 25, 26, 28, 33, 34, 35, 37, 39, 42, 55, 73, 80, 87,
                88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134,
                136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172,
                175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209,
                210, 211);
        record(ProgramType.LWT_XMIT,
                1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 33,
                34, 35, 37, 38, 39, 40, 41, 42, 43, 55, 73, 80, 87, 88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115,
                117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 148, 149, 153,
                154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194,
                195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.CGROUP_DEVICE,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 80, 81, 87, 88, 89, 93, 94, 105, 106,
                109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141, 148, 149, 153, 154,
                156, 157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182, 186, 187, 191, 194, 195,
                197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
        record(ProgramType.SK_MSG,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 60, 61, 62, 63, 71, 80, 87, 88, 89,
                90, 91, 93, 94, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130, 131,
                132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169,
                170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202,
                203, 208, 209, 210, 211);
        record(ProgramType.CGROUP_SOCK_ADDR,
                1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 46, 49, 55, 57, 80, 81, 84, 85, 86, 87,
                88, 89, 93, 94, 99, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130,
                131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165,
                169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201,
                202, 203, 208, 209, 210, 211);
        // sock_addr_func_proto and cg_sockopt_func_proto give some helpers to some attach types only.
        recordForAttach(ProgramType.CGROUP_SOCK_ADDR, new int[] {64}, AttachType.CGROUP_INET4_CONNECT,
                AttachType.CGROUP_INET6_CONNECT);
        recordForAttach(ProgramType.CGROUP_SOCK_ADDR, new int[] {186, 187}, AttachType.CGROUP_INET4_BIND,
                AttachType.CGROUP_INET6_BIND, AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_INET6_CONNECT,
                AttachType.CGROUP_UDP4_SENDMSG, AttachType.CGROUP_UDP6_SENDMSG, AttachType.CGROUP_UNIX_CONNECT,
                AttachType.CGROUP_UNIX_SENDMSG);
        recordForAttach(ProgramType.CGROUP_SOCKOPT, new int[] {49, 57}, AttachType.CGROUP_SETSOCKOPT);
        // Sleepable, as the kernel requires of SYSCALL programs.
        record(ProgramType.SYSCALL,
                1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 46, 55, 67, 80, 87, 88, 89,
                93, 94, 105, 106, 107, 108, 109, 111, 112, 113, 114, 115, 117, 118, 120, 121, 123, 125, 130, 131, 132,
                133, 134, 136, 137, 138, 139, 140, 141, 147, 148, 149, 153, 154, 156, 157, 158, 162, 164, 165, 166,
                167, 168, 169, 170, 171, 172, 173, 175, 176, 177, 178, 179, 180, 181, 182, 188, 191, 194, 195, 196,
                197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211);
    }

    private static void record(ProgramType type, int... ids) {
        ALLOWED.put(type, bits(ids));
    }

    private static void recordForAttach(ProgramType type, int[] ids, AttachType... attachTypes) {
        for (AttachType attach : attachTypes) {
            BY_ATTACH.computeIfAbsent(new TypeAndAttach(type, attach.value()), k -> new BitSet()).or(bits(ids));
        }
    }

    private static BitSet bits(int... ids) {
        BitSet set = new BitSet();
        for (int id : ids) {
            HelperFunction.require(id);
            set.set(id);
        }
        return set;
    }

    /** Whether a program of {@code type}, loaded for {@code expectedAttachType}, may call {@code helper}. */
    public static Availability availability(ProgramType type, int expectedAttachType, HelperFunction helper) {
        BitSet allowed = ALLOWED.get(type);
        if (allowed == null) {
            return Availability.UNKNOWN;
        }
        BitSet extra = BY_ATTACH.get(new TypeAndAttach(type, expectedAttachType));
        boolean given = allowed.get(helper.value()) || (extra != null && extra.get(helper.value()));
        return given ? Availability.ALLOWED : Availability.REFUSED;
    }

    /** Whether the table describes {@code type}'s helpers. */
    public static boolean describes(ProgramType type) {
        return ALLOWED.containsKey(type);
    }

    /**
     * The prototype {@code type} (loaded for {@code expectedAttachType}) sees for {@code helper}: empty where the
     * type may not call it, where the type is not described, or where {@link HelperPrototypes} has no prototype for
     * it yet.
     */
    public static Optional<HelperPrototype> prototype(ProgramType type, int expectedAttachType,
                                                      HelperFunction helper) {
        if (availability(type, expectedAttachType, helper) != Availability.ALLOWED) {
            return Optional.empty();
        }
        boolean skbClassid = switch (type) {
            case SCHED_CLS, SCHED_ACT, LWT_IN, LWT_OUT, LWT_XMIT -> true;
            default -> false;
        };
        if (skbClassid && helper == HelperFunction.GET_CGROUP_CLASSID) {
            // tc_cls_act_func_proto's and lwt_out_func_proto's variant reads the packet's socket; every other type
            // gets the base one.
            return Optional.of(HelperPrototypes.GET_CGROUP_CLASSID_SKB);
        }
        if (type == ProgramType.SYSCALL && helper == HelperFunction.GET_SOCKET_COOKIE) {
            // Tracing-like types get bpf_get_socket_ptr_cookie_proto (a BTF socket pointer), not described yet.
            return Optional.empty();
        }
        return HelperPrototypes.of(helper);
    }
}
