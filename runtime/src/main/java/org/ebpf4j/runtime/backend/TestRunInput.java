package org.ebpf4j.runtime.backend;

import java.util.Arrays;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.runtime.context.XdpFrame;
import org.ebpf4j.spec.Errno;

/** Checks of a test run's input that every packet type shares ({@code bpf_test_init}, {@code bpf_ctx_init}). */
final class TestRunInput {
    private TestRunInput() {}

    /** ETH_HLEN: the kernel refuses shorter packets, since every packet type starts with an Ethernet header. */
    static final int ETHERNET_HEADER = 14;
    static final int PAGE_SIZE = 4096;
    /** The loopback device's ifindex: the only device the JVM has, and the kernel's default in test runs. */
    static final int LOOPBACK = 1;
    /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64: the tailroom both packet test runs reserve. */
    static final int SHARED_INFO = XdpFrame.TAILROOM;

    /** The packet must hold an Ethernet header and fit the page with its headroom and tailroom (else EINVAL). */
    static void checkPacket(String program, TestRun run, int headroom) {
        int size = run.data().length;
        int max = PAGE_SIZE - headroom - SHARED_INFO;
        if (size < ETHERNET_HEADER || size > max) {
            throw new TestRunException(program, Errno.EINVAL, "packet of " + size + " bytes, the type takes "
                    + ETHERNET_HEADER + " to " + max);
        }
    }

    /**
     * The context struct the run starts from: the caller's bytes padded with zeros to {@code structSize} (a longer
     * input must be zero beyond the struct, else E2BIG); shorter input leaves no room for the output (ENOSPC, which
     * the kernel reports after the run; reported before it here, so the run has no side effects).
     */
    static byte[] context(String program, TestRun run, int structSize) {
        byte[] in = run.context();
        if (in == null) {
            return null;
        }
        for (int i = structSize; i < in.length; i++) {
            if (in[i] != 0) {
                throw new TestRunException(program, Errno.E2BIG, "context bytes beyond the " + structSize
                        + "-byte struct are not zero");
            }
        }
        if (in.length < structSize) {
            throw new TestRunException(program, Errno.ENOSPC, "a context of " + in.length + " bytes has no room for"
                    + " the " + structSize + "-byte struct the run gives back");
        }
        return Arrays.copyOf(in, structSize);
    }

    /**
     * A copy of a test run's packet at the start of an array whose length is the next power of two (the kernel's
     * test runs copy it into a page), so that the JIT's byte accesses to it need no bounds check
     * ({@code JitRun.packetBytes}); the packet region covers the packet's own bytes only.
     */
    static byte[] packetArray(byte[] packet) {
        int length = packet.length <= 1 ? 1 : Integer.highestOneBit(packet.length - 1) << 1;
        return Arrays.copyOf(packet, length > 0 ? length : packet.length);
    }

    /** The context given back: the struct alone (the kernel writes that much and says so in ctx_size_out). */
    static byte[] contextOut(byte[] struct) {
        return struct == null ? new byte[0] : struct;
    }
}
