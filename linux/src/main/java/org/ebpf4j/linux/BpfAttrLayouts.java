package org.ebpf4j.linux;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The parts of {@code union bpf_attr} ({@code include/uapi/linux/bpf.h}) this backend fills, one struct per command
 * family, with the header's field names. Pointers are {@code __aligned_u64} in the header and {@code JAVA_LONG}
 * here. {@code BpfAttrLayoutsTest} checks every offset against the header (and against the running kernel's BTF).
 *
 * <p>A struct may stop before the kernel's does: {@code bpf()} takes the size, and the kernel reads the fields it
 * was not given as zero. Fields after what a struct lists are thus "not used".
 */
final class BpfAttrLayouts {
    private static final MemoryLayout U32 = JAVA_INT;
    private static final MemoryLayout U64 = JAVA_LONG;
    /** {@code BPF_OBJ_NAME_LEN}. */
    static final int OBJ_NAME_LEN = 16;

    /** {@code BPF_MAP_CREATE}. */
    static final StructLayout MAP_CREATE = structLayout(
            U32.withName("map_type"),
            U32.withName("key_size"),
            U32.withName("value_size"),
            U32.withName("max_entries"),
            U32.withName("map_flags"),
            U32.withName("inner_map_fd"),
            U32.withName("numa_node"),
            sequenceLayout(OBJ_NAME_LEN, JAVA_BYTE).withName("map_name"),
            U32.withName("map_ifindex"),
            U32.withName("btf_fd"),
            U32.withName("btf_key_type_id"),
            U32.withName("btf_value_type_id"),
            U32.withName("btf_vmlinux_value_type_id"),
            U64.withName("map_extra"));

    /** {@code BPF_MAP_*_ELEM}, {@code BPF_MAP_GET_NEXT_KEY} ({@code next_key} shares {@code value}'s place), freeze. */
    static final StructLayout MAP_ELEM = structLayout(
            U32.withName("map_fd"),
            paddingLayout(4),
            U64.withName("key"),
            U64.withName("value"),
            U64.withName("flags"));

    /** {@code BPF_PROG_LOAD}, up to {@code log_true_size} (Linux 6.4), which the kernel writes back. */
    static final StructLayout PROG_LOAD = structLayout(
            U32.withName("prog_type"),
            U32.withName("insn_cnt"),
            U64.withName("insns"),
            U64.withName("license"),
            U32.withName("log_level"),
            U32.withName("log_size"),
            U64.withName("log_buf"),
            U32.withName("kern_version"),
            U32.withName("prog_flags"),
            sequenceLayout(OBJ_NAME_LEN, JAVA_BYTE).withName("prog_name"),
            U32.withName("prog_ifindex"),
            U32.withName("expected_attach_type"),
            U32.withName("prog_btf_fd"),
            U32.withName("func_info_rec_size"),
            U64.withName("func_info"),
            U32.withName("func_info_cnt"),
            U32.withName("line_info_rec_size"),
            U64.withName("line_info"),
            U32.withName("line_info_cnt"),
            U32.withName("attach_btf_id"),
            U32.withName("attach_prog_fd"),
            U32.withName("core_relo_cnt"),
            U64.withName("fd_array"),
            U64.withName("core_relos"),
            U32.withName("core_relo_rec_size"),
            U32.withName("log_true_size"));

    /** {@code BPF_PROG_TEST_RUN} (the header's {@code test} member), padded to its 8-byte alignment. */
    static final StructLayout PROG_TEST_RUN = structLayout(
            U32.withName("prog_fd"),
            U32.withName("retval"),
            U32.withName("data_size_in"),
            U32.withName("data_size_out"),
            U64.withName("data_in"),
            U64.withName("data_out"),
            U32.withName("repeat"),
            U32.withName("duration"),
            U32.withName("ctx_size_in"),
            U32.withName("ctx_size_out"),
            U64.withName("ctx_in"),
            U64.withName("ctx_out"),
            U32.withName("flags"),
            U32.withName("cpu"),
            U32.withName("batch_size"),
            paddingLayout(4));

    private BpfAttrLayouts() {}

    /**
     * {@code BPF_LINK_CREATE}: the fields every attach type shares. The union after {@code flags} (perf event
     * cookie, tcx relative fd and expected revision, ...) stays zero: "no cookie", "append", "any revision".
     */
    static final StructLayout LINK_CREATE = structLayout(
            U32.withName("prog_fd"),
            U32.withName("target_fd"),
            U32.withName("attach_type"),
            U32.withName("flags"));

    /** {@code BPF_RAW_TRACEPOINT_OPEN} ({@code raw_tracepoint}), up to {@code prog_fd}; no cookie. */
    static final StructLayout RAW_TRACEPOINT_OPEN = structLayout(
            U64.withName("name"),
            U32.withName("prog_fd"),
            paddingLayout(4));
}
