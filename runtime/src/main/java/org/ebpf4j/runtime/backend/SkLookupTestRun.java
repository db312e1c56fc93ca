package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.BpfSkLookup;
import org.ebpf4j.spec.context.ContextLayout;

/**
 * {@code bpf_prog_test_run_sk_lookup} (net/bpf/test_run.c): no packet, a {@code struct bpf_sk_lookup} that states the
 * lookup (family, protocol, addresses and ports; {@code sk}/{@code cookie}, {@code ingress_ifindex} and the padding
 * after the struct's last field zero), repeatable. The program sees the family, protocol and ports as the kernel's
 * {@code bpf_sk_lookup_kern} holds them (16 bits), the addresses of the other family as zero and no ingress device;
 * the result is SK_DROP only where the program dropped, and the context comes back as given with {@code cookie} 0
 * (the JVM has no sockets to select, so no program can have selected one).
 */
final class SkLookupTestRun {
    private SkLookupTestRun() {}

    /** AF_INET and AF_INET6 (include/linux/socket.h). */
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SK_DROP = 0;
    private static final int SK_PASS = 1;
    private static final long U16_MAX = 0xffff;

    static TestRunResult run(String program, PreparedProgram prepared, TestRun run) {
        if (run.data().length != 0) {
            throw new TestRunException(program, Errno.EINVAL, "sk_lookup programs take no packet data, only a"
                    + " struct bpf_sk_lookup");
        }
        if (run.context() == null || run.context().length == 0) {
            throw new TestRunException(program, Errno.EINVAL, "an sk_lookup test run needs a struct bpf_sk_lookup");
        }
        ContextLayout layout = BpfSkLookup.LAYOUT;
        byte[] in = TestRunInput.context(program, run, layout.size());
        if (u64(in, "sk") != 0) {
            throw new TestRunException(program, Errno.EINVAL, "bpf_sk_lookup.sk must be zero: the lookup selects it");
        }
        int tail = layout.field("local_port").end();
        for (int i = tail; i < in.length; i++) {
            if (in[i] != 0) {
                throw new TestRunException(program, Errno.EINVAL, "bpf_sk_lookup byte " + i + " (ingress_ifindex"
                        + " or padding) must be zero");
            }
        }
        if (u32(in, "local_port") > U16_MAX) {
            throw new TestRunException(program, Errno.ERANGE, "local_port " + u32(in, "local_port")
                    + " is not a port");
        }
        ContextMemory context = new ContextMemory(layout);
        byte[] image = context.image();
        int family = (int) (u32(in, "family") & U16_MAX);
        String[] addresses = switch (family) {
            case AF_INET -> new String[] {"remote_ip4", "local_ip4"};
            case AF_INET6 -> new String[] {"remote_ip6", "local_ip6"};
            default -> throw new TestRunException(program, Errno.EAFNOSUPPORT, "family " + family
                    + " is neither AF_INET nor AF_INET6");
        };
        context.setU32("family", family);
        context.setU32("protocol", u32(in, "protocol") & U16_MAX);
        context.setU32("local_port", u32(in, "local_port"));
        int port = layout.field("remote_port").offset();
        System.arraycopy(in, port, image, port, layout.field("remote_port").size());
        for (String address : addresses) {
            int off = layout.field(address).offset();
            System.arraycopy(in, off, image, off, layout.field(address).size());
        }

        Runs.Timed timed = Runs.repeat(prepared, run.repeat(), invocation -> invocation.map(context.region()));
        long verdict = (int) timed.returnValue() == SK_DROP ? SK_DROP : SK_PASS;
        // The cookie of the selected socket, which shares its bytes with sk: none here.
        LittleEndian.set(in, layout.field("sk").offset(), Long.BYTES, 0);
        return new TestRunResult(verdict, new byte[0], TestRunInput.contextOut(in), timed.nanosPerRun());
    }

    private static long u32(byte[] struct, String field) {
        return LittleEndian.get(struct, BpfSkLookup.LAYOUT.field(field).offset(), Integer.BYTES);
    }

    private static long u64(byte[] struct, String field) {
        return LittleEndian.get(struct, BpfSkLookup.LAYOUT.field(field).offset(), Long.BYTES);
    }
}
