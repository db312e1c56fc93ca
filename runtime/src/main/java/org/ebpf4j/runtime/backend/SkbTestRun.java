package org.ebpf4j.runtime.backend;

import java.util.Arrays;
import java.util.List;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.ContextField;
import org.ebpf4j.spec.context.ContextLayout;
import org.ebpf4j.spec.context.SkBuff;

/**
 * {@code bpf_prog_test_run_skb} (net/bpf/test_run.c) on the loopback device: {@code eth_type_trans} pulls the
 * Ethernet header and sets {@code protocol} and {@code pkt_type}; TC programs ({@code is_l2}) get the header pushed
 * back and direct packet access, socket filters see the packet from the network header on (lwt programs too, with
 * direct packet access, writable for lwt xmit), and the Ethernet header
 * of their data out is zeroed; cgroup skb programs see it as socket filters do, with the test run's socket. The optional {@code struct __sk_buff} may set only the fields
 * {@code convert___skb_to_skb} takes, and comes back with those {@code convert_skb_to___skb} writes.
 */
final class SkbTestRun {
    private SkbTestRun() {}

    /** NET_SKB_PAD (L1 cache line on x86-64) + NET_IP_ALIGN (0 on x86-64): the headroom of a test skb. */
    static final int HEADROOM = 64;
    /** GSO_LEGACY_MAX_SIZE and GSO_MAX_SEGS: the bounds convert___skb_to_skb puts on wire_len and gso_segs. */
    static final long MAX_WIRE_LEN = 65536;
    static final long MAX_GSO_SEGS = 65535;
    /** ETH_P_802_3_MIN: smaller h_proto values are 802.3 lengths. */
    private static final int ETHERNET_TYPE_MIN = 0x600;
    private static final int ETH_P_802_3 = 0x0001;
    private static final int ETH_P_802_2 = 0x0004;
    /** PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST (include/uapi/linux/if_packet.h). */
    private static final int PACKET_HOST = 0;
    private static final int PACKET_BROADCAST = 1;
    private static final int PACKET_MULTICAST = 2;
    private static final int PACKET_OTHERHOST = 3;
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int IPV4_HEADER = 20;
    /** AF_INET and AF_INET6 (include/linux/socket.h). */
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int IPV6_HEADER = 40;
    /** The loopback device's dev_addr and broadcast (drivers/net/loopback.c sets neither). */
    private static final byte[] LOOPBACK_ADDRESS = new byte[6];
    private static final byte[] LOOPBACK_BROADCAST = new byte[6];

    /** The fields a caller's context may set; every other byte must be zero. */
    private static final List<String> SETTABLE = List.of("mark", "priority", "ingress_ifindex", "ifindex", "cb",
            "tstamp", "wire_len", "gso_segs", "gso_size", "hwtstamp");
    /** The fields the run writes back into the caller's context. */
    private static final List<String> GIVEN_BACK = List.of("mark", "priority", "ingress_ifindex", "ifindex", "cb",
            "tstamp", "wire_len", "gso_segs", "hwtstamp");

    static TestRunResult run(String program, PreparedProgram prepared, ContextLayout layout,
                             boolean layer2, boolean packetWritable, TestRun run) {
        TestRunInput.checkPacket(program, run, HEADROOM);
        byte[] in = TestRunInput.context(program, run, layout.size());
        byte[] skb = in == null ? new byte[layout.size()] : in;
        check(program, skb);

        byte[] frame = run.data().clone();
        int start = layer2 ? 0 : TestRunInput.ETHERNET_HEADER;
        int length = frame.length - start;
        ContextMemory context = new ContextMemory(layout);
        byte[] image = context.image();
        for (String name : SETTABLE) {
            copy(layout.field(name), skb, image);
        }
        context.setU32("len", length);
        context.setU32("pkt_type", packetType(frame));
        int protocol = protocol(frame);
        context.setU32("protocol", Short.reverseBytes((short) protocol) & 0xffff);
        // The test run's socket takes its addresses from the network header, so an IPv4 or IPv6 frame must hold one.
        int networkHeader = protocol == ETH_P_IP ? IPV4_HEADER : protocol == ETH_P_IPV6 ? IPV6_HEADER : 0;
        if (frame.length - TestRunInput.ETHERNET_HEADER < networkHeader) {
            throw new TestRunException(program, Errno.EINVAL, "an EtherType 0x" + Integer.toHexString(protocol)
                    + " frame of " + frame.length + " bytes has no room for its " + networkHeader
                    + "-byte network header");
        }
        context.setU32("ifindex", TestRunInput.LOOPBACK);
        if (layout == SkBuff.CGROUP_SKB) {
            socketAddresses(image, frame, protocol);
        }
        if (in == null) {
            // convert___skb_to_skb returns at once without a context: wire_len (qdisc_skb_cb's pkt_len) stays 0.
        } else if (context.u32("wire_len") == 0) {
            context.setU32("wire_len", length);
        } else if (context.u32("wire_len") < length || context.u32("wire_len") > MAX_WIRE_LEN) {
            throw new TestRunException(program, Errno.EINVAL, "wire_len " + context.u32("wire_len")
                    + " is shorter than the packet or longer than " + MAX_WIRE_LEN);
        }
        if (context.u32("gso_segs") > MAX_GSO_SEGS) {
            throw new TestRunException(program, Errno.EINVAL, "gso_segs over " + MAX_GSO_SEGS);
        }

        byte[] buffer = TestRunInput.packetArray(frame);
        Region packet = new Region("skb packet", buffer, start, length, packetWritable);
        Runs.Timed timed = Runs.repeat(prepared, run.repeat(), Runs.packetAndContext(packet, length, context));
        System.arraycopy(buffer, 0, frame, 0, frame.length);

        if (!layer2) {
            Arrays.fill(frame, 0, TestRunInput.ETHERNET_HEADER, (byte) 0);
        }
        if (in != null) {
            for (String name : GIVEN_BACK) {
                copy(layout.field(name), image, in);
            }
        }
        return new TestRunResult(timed.returnValue(), frame, TestRunInput.contextOut(in), timed.nanosPerRun());
    }

    /**
     * The test run's socket, which cgroup skb programs see through {@code family} and the address fields: IPv4 and
     * IPv6 frames give it their family and addresses (source local, destination remote, in network order); its
     * ports stay 0, and other frames leave it AF_UNSPEC.
     */
    private static void socketAddresses(byte[] image, byte[] frame, int protocol) {
        ContextLayout layout = SkBuff.CGROUP_SKB;
        int ip = TestRunInput.ETHERNET_HEADER;
        if (protocol == ETH_P_IP) {
            LittleEndian.set(image, layout.field("family").offset(), 4, AF_INET);
            System.arraycopy(frame, ip + 12, image, layout.field("local_ip4").offset(), 4);
            System.arraycopy(frame, ip + 16, image, layout.field("remote_ip4").offset(), 4);
        } else if (protocol == ETH_P_IPV6) {
            LittleEndian.set(image, layout.field("family").offset(), 4, AF_INET6);
            System.arraycopy(frame, ip + 8, image, layout.field("local_ip6").offset(), 16);
            System.arraycopy(frame, ip + 24, image, layout.field("remote_ip6").offset(), 16);
        }
    }

    private static void copy(ContextField field, byte[] from, byte[] to) {
        System.arraycopy(from, field.offset(), to, field.offset(), field.size());
    }

    /** convert___skb_to_skb's rules: only {@link #SETTABLE} fields may be non-zero; only loopback exists. */
    private static void check(String program, byte[] skb) {
        ContextLayout layout = SkBuff.LAYOUT;
        for (int i = 0; i < skb.length; i++) {
            if (skb[i] != 0) {
                int at = i;
                String field = layout.fieldAt(i).map(ContextField::name).orElse("padding");
                if (!SETTABLE.contains(field)) {
                    throw new TestRunException(program, Errno.EINVAL, "__sk_buff." + field + " (byte " + at
                            + ") cannot be set by a test run");
                }
            }
        }
        long ifindex = LittleEndian.get(skb, layout.field("ifindex").offset(), 4);
        if (ifindex > TestRunInput.LOOPBACK) {
            throw new TestRunException(program, Errno.ENODEV, "interface " + ifindex + ": the JVM has only the"
                    + " loopback device (" + TestRunInput.LOOPBACK + ")");
        }
    }

    /** eth_type_trans: the EtherType, or the 802.3/802.2 pseudo-protocols for frames that carry a length. */
    static int protocol(byte[] frame) {
        int type = (frame[12] & 0xff) << 8 | frame[13] & 0xff;
        if (type >= ETHERNET_TYPE_MIN) {
            return type;
        }
        boolean rawIpx = frame.length >= TestRunInput.ETHERNET_HEADER + 2
                && frame[14] == (byte) 0xff && frame[15] == (byte) 0xff;
        return rawIpx ? ETH_P_802_3 : ETH_P_802_2;
    }

    /**
     * eth_skb_pkt_type against the loopback device, whose address and broadcast address are both all zeros: a
     * frame to 00:00:00:00:00:00 is for this host, and ff:ff:ff:ff:ff:ff is merely multicast there.
     */
    static int packetType(byte[] frame) {
        byte[] destination = Arrays.copyOf(frame, 6);
        if (Arrays.equals(destination, LOOPBACK_ADDRESS)) {
            return PACKET_HOST;
        }
        if ((frame[0] & 1) != 0) {
            return Arrays.equals(destination, LOOPBACK_BROADCAST) ? PACKET_BROADCAST : PACKET_MULTICAST;
        }
        return PACKET_OTHERHOST;
    }
}
