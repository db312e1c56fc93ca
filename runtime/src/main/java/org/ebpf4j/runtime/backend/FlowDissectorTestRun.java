package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.SkBuff;

/**
 * {@code bpf_prog_test_run_flow_dissector} (net/bpf/test_run.c) and {@code bpf_flow_dissect}: the packet (an
 * Ethernet frame, read-only, {@code data} at its first byte) is dissected from the network header; the optional
 * context is a {@code struct bpf_flow_keys} that may set only {@code flags} (else EINVAL) and comes back as given;
 * the data out is the flow keys after the run: zeroed, then {@code nhoff} and {@code thoff} the Ethernet header's
 * length, {@code n_proto} its EtherType, {@code flags} the caller's, and after the program {@code nhoff} and
 * {@code thoff} clamped into the packet. The program cannot reach the keys on the JVM ({@code flow_keys} is a
 * kernel pointer the verifier and the engines do not offer), so they come back as the kernel set them up.
 */
final class FlowDissectorTestRun {
    private FlowDissectorTestRun() {}

    /** sizeof(struct bpf_flow_keys) and the offsets bpf_flow_dissect writes. */
    static final int FLOW_KEYS = 56;
    private static final int NHOFF = 0;
    private static final int THOFF = 2;
    private static final int N_PROTO = 10;
    private static final int FLAGS = 48;

    static TestRunResult run(String program, PreparedProgram prepared, TestRun run) {
        int size = run.data().length;
        if (size < TestRunInput.ETHERNET_HEADER || size > TestRunInput.PAGE_SIZE) {
            // bpf_test_init without head- or tailroom: an Ethernet header at least, a page at most.
            throw new TestRunException(program, Errno.EINVAL, "packet of " + size + " bytes, the type takes "
                    + TestRunInput.ETHERNET_HEADER + " to " + TestRunInput.PAGE_SIZE);
        }
        byte[] in = TestRunInput.context(program, run, FLOW_KEYS);
        long flags = 0;
        if (in != null) {
            for (int i = 0; i < in.length; i++) {
                if (in[i] != 0 && (i < FLAGS || i >= FLAGS + Integer.BYTES)) {
                    throw new TestRunException(program, Errno.EINVAL, "struct bpf_flow_keys byte " + i
                            + " is not flags and must be zero");
                }
            }
            flags = LittleEndian.get(in, FLAGS, Integer.BYTES);
        }
        byte[] frame = run.data().clone();
        ContextMemory context = new ContextMemory(SkBuff.FLOW_DISSECTOR);
        Region packet = new Region("flow dissector packet", TestRunInput.packetArray(frame), 0, frame.length, false);
        Runs.Timed timed = Runs.repeat(prepared, run.repeat(), Runs.packetAndContext(packet, frame.length, context));

        byte[] keys = new byte[FLOW_KEYS];
        int hlen = frame.length;
        int nhoff = Math.clamp(TestRunInput.ETHERNET_HEADER, TestRunInput.ETHERNET_HEADER, hlen);
        LittleEndian.set(keys, NHOFF, Short.BYTES, nhoff);
        LittleEndian.set(keys, THOFF, Short.BYTES, Math.clamp(TestRunInput.ETHERNET_HEADER, nhoff, hlen));
        System.arraycopy(frame, 12, keys, N_PROTO, Short.BYTES);
        LittleEndian.set(keys, FLAGS, Integer.BYTES, flags);
        return new TestRunResult(timed.returnValue(), keys, TestRunInput.contextOut(in),
                timed.nanosPerRun());
    }
}
