package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.XdpMd;

/**
 * {@code bpf_prog_test_run_xdp} (net/bpf/test_run.c) without live frames: the packet sits after a headroom, the
 * optional {@code struct xdp_md} puts {@code data} bytes of metadata before it, and the program runs as if it
 * arrived on the loopback device's queue 0 (the only device the JVM has). Data out is metadata and packet.
 */
final class XdpTestRun {
    private XdpTestRun() {}

    /** XDP_PACKET_HEADROOM. */
    static final int HEADROOM = 256;
    /** The most metadata xdp_metalen_invalid() lets through, in 4-byte steps. */
    static final int MAX_METADATA = 32;

    static TestRunResult run(String program, Executable executable, TestRun run) {
        byte[] md = TestRunInput.context(program, run, XdpMd.LAYOUT.size());
        int metadata = md == null ? 0 : check(program, md, run.data().length);
        int size = run.data().length - metadata;
        TestRunInput.checkPacket(program, run, HEADROOM - metadata);

        byte[] frame = new byte[HEADROOM + size];
        System.arraycopy(run.data(), 0, frame, HEADROOM - metadata, run.data().length);
        Region packet = new Region("xdp packet", frame, HEADROOM - metadata, metadata + size, true);
        ContextMemory context = new ContextMemory(XdpMd.LAYOUT);
        context.setU32(XdpMd.INGRESS_IFINDEX.name(), TestRunInput.LOOPBACK);
        Runs.Timed timed = Runs.repeat(executable, run.repeat(), invocation -> {
            long meta = invocation.map(packet);
            context.setPacket(meta, meta + metadata, meta + metadata + size);
            invocation.setPacket(meta + metadata);
            return invocation.map(context.region());
        });

        byte[] out = new byte[metadata + size];
        System.arraycopy(frame, HEADROOM - metadata, out, 0, out.length);
        if (md != null) {
            // xdp_convert_buff_to_md: data and data_end relative to data_meta; the rest as the caller gave it.
            LittleEndian.set(md, XdpMd.DATA.offset(), 4, metadata);
            LittleEndian.set(md, XdpMd.DATA_END.offset(), 4, metadata + size);
        }
        return new TestRunResult(timed.returnValue(), out, TestRunInput.contextOut(run, md), timed.nanosPerRun());
    }

    /** The checks of bpf_prog_test_run_xdp and xdp_convert_md_to_buff; returns the metadata length. */
    private static int check(String program, byte[] md, int dataSize) {
        long data = LittleEndian.get(md, XdpMd.DATA.offset(), 4);
        long dataEnd = LittleEndian.get(md, XdpMd.DATA_END.offset(), 4);
        long dataMeta = LittleEndian.get(md, XdpMd.DATA_META.offset(), 4);
        long ingress = LittleEndian.get(md, XdpMd.INGRESS_IFINDEX.offset(), 4);
        long queue = LittleEndian.get(md, XdpMd.RX_QUEUE_INDEX.offset(), 4);
        long egress = LittleEndian.get(md, XdpMd.EGRESS_IFINDEX.offset(), 4);
        if (dataMeta != 0 || dataEnd > dataSize || data > dataEnd || data % 4 != 0 || data > MAX_METADATA) {
            throw new TestRunException(program, Errno.EINVAL, "xdp_md data " + data + ", data_end " + dataEnd
                    + ", data_meta " + dataMeta + " do not describe metadata of at most " + MAX_METADATA
                    + " bytes in 4-byte steps before a packet of " + dataSize);
        }
        if (egress != 0 || (ingress == 0 && queue != 0)) {
            throw new TestRunException(program, Errno.EINVAL, "xdp_md egress_ifindex must be 0, and a queue needs"
                    + " an interface");
        }
        if (ingress != 0 && ingress != TestRunInput.LOOPBACK) {
            throw new TestRunException(program, Errno.ENODEV, "interface " + ingress + ": the JVM has only the"
                    + " loopback device (" + TestRunInput.LOOPBACK + ")");
        }
        if (queue != 0) {
            throw new TestRunException(program, Errno.EINVAL, "rx queue " + queue + ": loopback has one queue");
        }
        return (int) data;
    }
}
