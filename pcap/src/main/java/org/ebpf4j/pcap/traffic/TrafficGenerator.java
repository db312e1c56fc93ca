package org.ebpf4j.pcap.traffic;

import static org.ebpf4j.pcap.traffic.Frames.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.ebpf4j.pcap.CapturedPacket;
import org.ebpf4j.pcap.LinkType;
import org.ebpf4j.pcap.traffic.PacketFacts.Cut;

/**
 * Writes deterministic mixed Ethernet traffic towards two servers (10.1.0.100, 2001:db8:1::100) from a few dozen
 * clients: TCP, UDP, ICMP and ICMPv6 over IPv4 and IPv6, ARP, VLAN-tagged frames, IPv4 options and fragments, GRE,
 * LLDP, and frames whose capture ends inside a header. The first packets hold one frame of every {@link TrafficKind};
 * the rest follow the kinds' weights. The same seed and count give the same bytes on every JVM ({@link Random}'s
 * algorithm is specified). Each packet comes with the {@link PacketFacts} of what was written.
 */
public final class TrafficGenerator {
    /** 2026-01-01T00:00:00Z: the first packet's time. */
    public static final long START_NANOS = 1_767_225_600L * 1_000_000_000L;

    /** A generated frame and what it holds. */
    public record GeneratedPacket(CapturedPacket packet, PacketFacts facts) {}

    private static final byte[] BROADCAST = mac(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    private static final byte[] LLDP_MULTICAST = mac(0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e);
    private static final byte[] SERVER_MAC = mac(0x02, 0x00, 0x00, 0x00, 0x01, 0x00);
    private static final byte[] SERVER4 = {10, 1, 0, 100};
    private static final byte[] SERVER6 = ipv6Address(0x2001, 0xdb8, 1, 0x100);
    private static final List<byte[]> CLIENTS4 = clients4();
    private static final List<byte[]> CLIENTS6 = List.of(ipv6Address(0x2001, 0xdb8, 1, 1),
            ipv6Address(0x2001, 0xdb8, 1, 2), ipv6Address(0x2001, 0xdb8, 1, 3), ipv6Address(0x2001, 0xdb8, 1, 4),
            ipv6Address(0x2001, 0xdb8, 1, 5), ipv6Address(0x2001, 0xdb8, 1, 6), ipv6Address(0x2001, 0xdb8, 0xff, 0x10),
            ipv6Address(0x2001, 0xdb8, 0xff, 0x20), ipv6Address(0xfe80, 0, 0, 0x1c));
    private static final int[] TCP_PORTS = {443, 443, 443, 443, 443, 443, 443, 443, 443, 80, 80, 80, 80, 80, 22, 22,
            23, 8080, 25, 0};
    private static final int[] UDP_PORTS = {53, 53, 53, 53, 53, 53, 53, 53, 443, 443, 443, 443, 123, 123, 123, 5353,
            5353, 514, 23, 0};
    private static final int[] TCP_FLAGS = {0x02, 0x12, 0x10, 0x10, 0x18, 0x18, 0x18, 0x11, 0x04};

    private final Random random;

    public TrafficGenerator(long seed) {
        this.random = new Random(seed);
    }

    public List<GeneratedPacket> generate(int count) {
        List<TrafficKind> firsts = new ArrayList<>(List.of(TrafficKind.values()));
        Collections.shuffle(firsts, random);
        List<GeneratedPacket> packets = new ArrayList<>(count);
        long time = START_NANOS;
        for (int i = 0; i < count; i++) {
            TrafficKind kind = i < firsts.size() ? firsts.get(i) : weightedKind();
            time += random.nextInt(2000) * 1000L; // microsecond steps, as pcap stores them
            packets.add(frame(kind, time));
        }
        return packets;
    }

    private TrafficKind weightedKind() {
        int pick = random.nextInt(1000);
        for (TrafficKind kind : TrafficKind.values()) {
            pick -= kind.weight;
            if (pick < 0) {
                return kind;
            }
        }
        throw new AssertionError("weights add up to 1000");
    }

    private GeneratedPacket frame(TrafficKind kind, long time) {
        return switch (kind) {
            case TCP4 -> tcp4(kind, time, -1);
            case UDP4 -> udp4(kind, time, new byte[0], pick(UDP_PORTS));
            case ICMP4 -> icmp4(time);
            case TCP6 -> tcp6(kind, time, -1);
            case UDP6 -> udp6(kind, time, -1);
            case ICMP6 -> icmp6(time);
            case ARP -> arp(time);
            case VLAN -> random.nextBoolean() ? tcp4(kind, time, 100) : udp6(kind, time, 200);
            // Router Alert; a third of these go to the dropped port, so a program must honour IHL to find it.
            case IPV4_OPTIONS -> udp4(kind, time, new byte[] {(byte) 0x94, 4, 0, 0},
                    random.nextInt(3) == 0 ? 23 : pick(UDP_PORTS));
            case IPV4_FRAGMENT -> fragment4(time);
            case GRE4 -> gre4(time);
            case LLDP -> lldp(time);
            case CUT_NETWORK -> cut(random.nextBoolean() ? tcp4(kind, time, -1) : udp6(kind, time, -1),
                    Cut.NETWORK_HEADER);
            case CUT_TRANSPORT -> cut(random.nextBoolean() ? tcp4(kind, time, -1) : udp6(kind, time, -1),
                    Cut.TRANSPORT_HEADER);
            case RUNT -> cut(tcp4(kind, time, -1), Cut.ETHERNET_HEADER);
        };
    }

    private GeneratedPacket tcp4(TrafficKind kind, long time, int vlan) {
        byte[] client = skewed(CLIENTS4);
        int port = pick(TCP_PORTS);
        byte[] segment = tcpSegment(client, SERVER4, port);
        byte[] ip = ipv4(client, SERVER4, IPPROTO_TCP, random.nextInt(65536), 0, new byte[0], segment);
        return packet(time, ethernet(SERVER_MAC, clientMac(client), vlan, ETH_P_IP, ip),
                facts(kind, ETH_P_IP, vlan, IPPROTO_TCP, false, mapped(client), port));
    }

    private GeneratedPacket udp4(TrafficKind kind, long time, byte[] options, int port) {
        byte[] client = skewed(CLIENTS4);
        byte[] datagram = udp(client, SERVER4, ephemeralPort(), port, payload(8 + random.nextInt(120)));
        byte[] ip = ipv4(client, SERVER4, IPPROTO_UDP, random.nextInt(65536), 0, options, datagram);
        return packet(time, ethernet(SERVER_MAC, clientMac(client), -1, ETH_P_IP, ip),
                facts(kind, ETH_P_IP, -1, IPPROTO_UDP, false, mapped(client), port));
    }

    private GeneratedPacket tcp6(TrafficKind kind, long time, int vlan) {
        byte[] client = skewed(CLIENTS6);
        int port = pick(TCP_PORTS);
        byte[] ip = ipv6(client, SERVER6, IPPROTO_TCP, random.nextInt(), tcpSegment(client, SERVER6, port));
        return packet(time, ethernet(SERVER_MAC, clientMac(client), vlan, ETH_P_IPV6, ip),
                facts(kind, ETH_P_IPV6, vlan, IPPROTO_TCP, false, client, port));
    }

    private GeneratedPacket udp6(TrafficKind kind, long time, int vlan) {
        byte[] client = skewed(CLIENTS6);
        int port = pick(UDP_PORTS);
        byte[] datagram = udp(client, SERVER6, ephemeralPort(), port, payload(8 + random.nextInt(120)));
        byte[] ip = ipv6(client, SERVER6, IPPROTO_UDP, random.nextInt(), datagram);
        return packet(time, ethernet(SERVER_MAC, clientMac(client), vlan, ETH_P_IPV6, ip),
                facts(kind, ETH_P_IPV6, vlan, IPPROTO_UDP, false, client, port));
    }

    private byte[] tcpSegment(byte[] client, byte[] server, int port) {
        int flags = TCP_FLAGS[random.nextInt(TCP_FLAGS.length)];
        byte[] options;
        if ((flags & 0x02) != 0) {
            options = new byte[] {2, 4, 0x05, (byte) 0xb4}; // MSS 1460
        } else if (random.nextBoolean()) {
            options = new byte[12]; // NOP, NOP, timestamps
            options[0] = options[1] = 1;
            options[2] = 8;
            options[3] = 10;
            for (int i = 4; i < 12; i++) {
                options[i] = (byte) random.nextInt(256);
            }
        } else {
            options = new byte[0];
        }
        int length = flags == 0x18 ? (random.nextInt(4) == 0 ? 1000 + random.nextInt(400) : 1 + random.nextInt(300))
                : 0;
        return tcp(client, server, ephemeralPort(), port, random.nextInt(), (flags & 0x10) != 0 ? random.nextInt() : 0,
                flags, options, payload(length));
    }

    private GeneratedPacket icmp4(long time) {
        byte[] client = skewed(CLIENTS4);
        boolean request = random.nextInt(4) != 0;
        byte[] icmp = icmpEcho(request ? 8 : 0, random.nextInt(65536), random.nextInt(100), pingPayload());
        byte[] ip = ipv4(client, SERVER4, IPPROTO_ICMP, random.nextInt(65536), 0, new byte[0], icmp);
        return packet(time, ethernet(SERVER_MAC, clientMac(client), -1, ETH_P_IP, ip),
                facts(TrafficKind.ICMP4, ETH_P_IP, -1, IPPROTO_ICMP, false, mapped(client), -1));
    }

    private GeneratedPacket icmp6(long time) {
        byte[] client = skewed(CLIENTS6);
        boolean request = random.nextInt(4) != 0;
        byte[] icmp = icmp6Echo(client, SERVER6, request ? 128 : 129, random.nextInt(65536), random.nextInt(100),
                pingPayload());
        byte[] ip = ipv6(client, SERVER6, IPPROTO_ICMPV6, 0, icmp);
        return packet(time, ethernet(SERVER_MAC, clientMac(client), -1, ETH_P_IPV6, ip),
                facts(TrafficKind.ICMP6, ETH_P_IPV6, -1, IPPROTO_ICMPV6, false, client, -1));
    }

    private GeneratedPacket arp(long time) {
        byte[] client = skewed(CLIENTS4);
        byte[] frame;
        if (random.nextBoolean()) {
            frame = ethernet(BROADCAST, clientMac(client), -1, ETH_P_ARP, Frames.arp(1, clientMac(client), client,
                    new byte[6], SERVER4));
        } else {
            frame = ethernet(clientMac(client), SERVER_MAC, -1, ETH_P_ARP, Frames.arp(2, SERVER_MAC, SERVER4,
                    clientMac(client), client));
        }
        return packet(time, frame, facts(TrafficKind.ARP, ETH_P_ARP, -1, -1, false, null, -1));
    }

    private GeneratedPacket fragment4(long time) {
        byte[] client = skewed(CLIENTS4);
        // The last fragment of a large UDP datagram: offset 1480 bytes, no more fragments, no UDP header.
        byte[] ip = ipv4(client, SERVER4, IPPROTO_UDP, random.nextInt(65536), 1480 / 8, new byte[0],
                payload(100 + random.nextInt(300)));
        return packet(time, ethernet(SERVER_MAC, clientMac(client), -1, ETH_P_IP, ip),
                facts(TrafficKind.IPV4_FRAGMENT, ETH_P_IP, -1, IPPROTO_UDP, true, mapped(client), -1));
    }

    private GeneratedPacket gre4(long time) {
        byte[] client = skewed(CLIENTS4);
        byte[] inner = ipv4(client, SERVER4, IPPROTO_ICMP, random.nextInt(65536), 0, new byte[0],
                icmpEcho(8, random.nextInt(65536), random.nextInt(100), pingPayload()));
        byte[] gre = new byte[4 + inner.length];
        gre[2] = 0x08; // protocol type IPv4, no flags
        System.arraycopy(inner, 0, gre, 4, inner.length);
        byte[] ip = ipv4(client, SERVER4, IPPROTO_GRE, random.nextInt(65536), 0, new byte[0], gre);
        return packet(time, ethernet(SERVER_MAC, clientMac(client), -1, ETH_P_IP, ip),
                facts(TrafficKind.GRE4, ETH_P_IP, -1, IPPROTO_GRE, false, mapped(client), -1));
    }

    private GeneratedPacket lldp(long time) {
        byte[] client = skewed(CLIENTS4);
        byte[] mac = clientMac(client);
        byte[] tlvs = new byte[2 + 7 + 2 + 3 + 2 + 2 + 2];
        tlvs[0] = 0x02; // chassis id, 7 bytes: MAC address subtype
        tlvs[1] = 7;
        tlvs[2] = 4;
        System.arraycopy(mac, 0, tlvs, 3, 6);
        tlvs[9] = 0x04; // port id, 3 bytes: locally assigned "p1"
        tlvs[10] = 3;
        tlvs[11] = 7;
        tlvs[12] = 'p';
        tlvs[13] = '1';
        tlvs[14] = 0x06; // time to live, 2 bytes: 120 s
        tlvs[15] = 2;
        tlvs[17] = 120; // then the end TLV (zeros)
        return packet(time, ethernet(LLDP_MULTICAST, mac, -1, ETH_P_LLDP, tlvs),
                facts(TrafficKind.LLDP, ETH_P_LLDP, -1, -1, false, null, -1));
    }

    /** The same frame, captured only up to a point inside the given header. */
    private GeneratedPacket cut(GeneratedPacket whole, Cut cut) {
        PacketFacts f = whole.facts();
        int l3 = ETHERNET_HEADER + (f.vlanTagged() ? VLAN_TAG : 0);
        int l3Length = f.etherType() == ETH_P_IP ? IPV4_HEADER : IPV6_HEADER;
        int l4Length = f.ipProtocol() == IPPROTO_TCP ? TCP_HEADER : UDP_HEADER;
        int captured = switch (cut) {
            case ETHERNET_HEADER -> 1 + random.nextInt(ETHERNET_HEADER - 1);
            case NETWORK_HEADER -> l3 + 1 + random.nextInt(l3Length - 1);
            case TRANSPORT_HEADER -> l3 + l3Length + 1 + random.nextInt(l4Length - 1);
            case NONE -> throw new IllegalArgumentException("nothing to cut");
        };
        byte[] frame = whole.packet().data();
        CapturedPacket p = new CapturedPacket(0, 0, 0, LinkType.ETHERNET, whole.packet().timestampNanos(),
                frame.length, Arrays.copyOf(frame, captured));
        PacketFacts facts = switch (cut) {
            case ETHERNET_HEADER -> new PacketFacts(f.kind(), -1, false, -1, false, Optional.empty(), -1, cut);
            case NETWORK_HEADER -> new PacketFacts(f.kind(), f.etherType(), f.vlanTagged(), -1, false,
                    Optional.empty(), -1, cut);
            default -> new PacketFacts(f.kind(), f.etherType(), f.vlanTagged(), f.ipProtocol(), false, f.source(),
                    -1, cut);
        };
        return new GeneratedPacket(p, facts);
    }

    private static GeneratedPacket packet(long time, byte[] frame, PacketFacts facts) {
        return new GeneratedPacket(CapturedPacket.of(time, frame), facts);
    }

    private static PacketFacts facts(TrafficKind kind, int etherType, int vlan, int protocol, boolean laterFragment,
                                     byte[] source, int port) {
        return new PacketFacts(kind, etherType, vlan >= 0, protocol, laterFragment, Optional.ofNullable(source),
                port, Cut.NONE);
    }

    /** Clients send unevenly: the first of the list most, as real traffic has heavy hitters. */
    private byte[] skewed(List<byte[]> hosts) {
        double r = random.nextDouble();
        return hosts.get((int) (hosts.size() * r * r));
    }

    private int pick(int[] ports) {
        int port = ports[random.nextInt(ports.length)];
        return port != 0 ? port : 1024 + random.nextInt(64512);
    }

    private int ephemeralPort() {
        return 32768 + random.nextInt(28232);
    }

    private byte[] payload(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** What ping sends: an 8-byte timestamp and the bytes 0x10, 0x11, ... */
    private byte[] pingPayload() {
        byte[] bytes = new byte[56];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        for (int i = 8; i < bytes.length; i++) {
            bytes[i] = (byte) (i + 8);
        }
        return bytes;
    }

    private static byte[] clientMac(byte[] ip) {
        int h = Arrays.hashCode(ip);
        return mac(0x02, 0x42, h >>> 24 & 0xff, h >>> 16 & 0xff, h >>> 8 & 0xff, h & 0xff);
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] address = new byte[16];
        address[10] = address[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, address, 12, 4);
        return address;
    }

    private static byte[] mac(int... bytes) {
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) bytes[i];
        }
        return mac;
    }

    private static byte[] ipv6Address(int first, int second, int third, int last) {
        byte[] a = new byte[16];
        a[0] = (byte) (first >>> 8);
        a[1] = (byte) first;
        a[2] = (byte) (second >>> 8);
        a[3] = (byte) second;
        a[4] = (byte) (third >>> 8);
        a[5] = (byte) third;
        a[14] = (byte) (last >>> 8);
        a[15] = (byte) last;
        return a;
    }

    private static List<byte[]> clients4() {
        List<byte[]> hosts = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            hosts.add(new byte[] {10, 1, 0, (byte) i});
        }
        for (int i = 2; i <= 9; i++) {
            hosts.add(new byte[] {(byte) 192, (byte) 168, 10, (byte) i});
        }
        for (int last : new int[] {7, 23, 42}) {
            hosts.add(new byte[] {(byte) 198, 51, 100, (byte) last});
        }
        for (int last : new int[] {5, 77}) {
            hosts.add(new byte[] {(byte) 203, 0, 113, (byte) last});
        }
        return List.copyOf(hosts);
    }
}
