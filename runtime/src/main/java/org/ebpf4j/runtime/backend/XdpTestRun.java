package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.context.XdpFrame;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.XdpMd;

/**
 * {@code bpf_prog_test_run_xdp} (net/bpf/test_run.c) without live frames: the packet sits after a headroom, the
 * optional {@code struct xdp_md} puts {@code data} bytes of metadata before it and ends the linear part at
 * {@code data_end}; the program runs as if it arrived on the loopback device's queue 0 (the only device the JVM
 * has). Bytes past the linear part are the frame's fragments: direct packet access cannot reach them;
 * {@code bpf_xdp_adjust_tail} shrinks and grows them. Data out is metadata, linear part and fragments, as the
 * program's head, tail and metadata moves left them ({@link XdpFrame}).
 */
final class XdpTestRun {
    private XdpTestRun() {}

    /** XDP_PACKET_HEADROOM. */
    static final int HEADROOM = 256;
    /** The most linear packet data: a page less headroom and the shared-info tailroom. */
    static final int MAX_LINEAR = TestRunInput.PAGE_SIZE - HEADROOM - TestRunInput.SHARED_INFO;
    /** The most metadata a test run takes (the kernel refuses 220 and accepts 216, as the differential test shows). */
    static final int MAX_METADATA = HEADROOM - XdpFrame.XDP_FRAME;
    /** MAX_SKB_FRAGS pages of fragments at most (else ENOMEM). */
    static final int MAX_FRAGMENTS = 17 * TestRunInput.PAGE_SIZE;

    static TestRunResult run(String program, PreparedProgram prepared, TestRun run) {
        byte[] in = run.data();
        byte[] md = TestRunInput.context(program, run, XdpMd.LAYOUT.size());
        int metadata = md == null ? 0 : check(program, md, in.length);
        int linear = md == null ? Math.min(in.length, MAX_LINEAR)
                : Math.min((int) LittleEndian.get(md, XdpMd.DATA_END.offset(), 4) - metadata, MAX_LINEAR);
        if (md == null && in.length < TestRunInput.ETHERNET_HEADER) {
            throw new TestRunException(program, Errno.EINVAL, "packet of " + in.length + " bytes is shorter than"
                    + " an Ethernet header");
        }
        if (in.length - metadata - linear > MAX_FRAGMENTS) {
            throw new TestRunException(program, Errno.ENOMEM, "more than " + MAX_FRAGMENTS + " bytes of fragments");
        }

        // The frame persists across repeats, as the kernel's xdp_buff does: head and tail moves accumulate.
        XdpFrame frame = new XdpFrame(in, HEADROOM, metadata, linear);
        ContextMemory context = new ContextMemory(XdpMd.LAYOUT);
        context.setU32(XdpMd.INGRESS_IFINDEX.name(), TestRunInput.LOOPBACK);
        Runs.Timed timed = Runs.repeat(prepared, run.repeat(), new Runs.Inputs() {
            @Override
            public long map(Invocation invocation) {
                frame.map(invocation, context);
                return invocation.map(context.region());
            }

            @Override
            public boolean unmoved() {
                return !frame.movedSinceMapped();
            }
        });

        byte[] out = frame.bytes();
        if (md != null) {
            // xdp_convert_buff_to_md: data and data_end relative to data_meta; the rest as the caller gave it.
            LittleEndian.set(md, XdpMd.DATA.offset(), 4, frame.metadataLength());
            LittleEndian.set(md, XdpMd.DATA_END.offset(), 4, frame.metadataLength() + frame.linearLength());
        }
        return new TestRunResult(timed.returnValue(), out, TestRunInput.contextOut(md), timed.nanosPerRun());
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
