package org.ebpf4j.pcap.traffic;

import java.nio.ByteBuffer;

/**
 * Builds protocol headers in network byte order, each around its payload, with correct lengths and checksums:
 * Ethernet II (optionally 802.1Q-tagged, padded to the 60-byte minimum), IPv4, IPv6, TCP, UDP, ICMP and ICMPv6 echo,
 * ARP over Ethernet/IPv4.
 */
final class Frames {
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_8021Q = 0x8100;
    static final int ETH_P_IPV6 = 0x86dd;
    static final int ETH_P_LLDP = 0x88cc;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_GRE = 47;
    static final int IPPROTO_ICMPV6 = 58;
    static final int ETHERNET_HEADER = 14;
    static final int VLAN_TAG = 4;
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int TCP_HEADER = 20;
    static final int UDP_HEADER = 8;
    private static final int MINIMUM_FRAME = 60;

    private Frames() {}

    static byte[] ethernet(byte[] destination, byte[] source, int vlanId, int etherType, byte[] payload) {
        int header = ETHERNET_HEADER + (vlanId >= 0 ? VLAN_TAG : 0);
        ByteBuffer b = ByteBuffer.allocate(Math.max(MINIMUM_FRAME, header + payload.length));
        b.put(destination).put(source);
        if (vlanId >= 0) {
            b.putShort((short) ETH_P_8021Q).putShort((short) vlanId);
        }
        return b.putShort((short) etherType).put(payload).array();
    }

    /** {@code fragmentOffset} in 8-byte units; {@code options} a multiple of 4 bytes. */
    static byte[] ipv4(byte[] source, byte[] destination, int protocol, int identification, int fragmentOffset,
                       byte[] options, byte[] payload) {
        int header = IPV4_HEADER + options.length;
        ByteBuffer b = ByteBuffer.allocate(header + payload.length)
                .put((byte) (0x40 | header / 4)).put((byte) 0).putShort((short) (header + payload.length))
                .putShort((short) identification).putShort((short) (fragmentOffset == 0 ? 0x4000 : fragmentOffset))
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(source).put(destination).put(options)
                .put(payload);
        byte[] bytes = b.array();
        b.putShort(10, (short) Checksums.internet(bytes, 0, header));
        return bytes;
    }

    static byte[] ipv6(byte[] source, byte[] destination, int nextHeader, int flowLabel, byte[] payload) {
        return ByteBuffer.allocate(IPV6_HEADER + payload.length).putInt(0x6000_0000 | flowLabel & 0xfffff)
                .putShort((short) payload.length).put((byte) nextHeader).put((byte) 64).put(source).put(destination)
                .put(payload).array();
    }

    static byte[] tcp(byte[] sourceIp, byte[] destinationIp, int sourcePort, int destinationPort, int sequence,
                      int acknowledgement, int flags, byte[] options, byte[] payload) {
        int header = TCP_HEADER + options.length;
        ByteBuffer b = ByteBuffer.allocate(header + payload.length).putShort((short) sourcePort)
                .putShort((short) destinationPort).putInt(sequence).putInt(acknowledgement)
                .put((byte) (header / 4 << 4)).put((byte) flags).putShort((short) 64240).putShort((short) 0)
                .putShort((short) 0).put(options).put(payload);
        return withTransportChecksum(b, 16, sourceIp, destinationIp, IPPROTO_TCP);
    }

    static byte[] udp(byte[] sourceIp, byte[] destinationIp, int sourcePort, int destinationPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(UDP_HEADER + payload.length).putShort((short) sourcePort)
                .putShort((short) destinationPort).putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0)
                .put(payload);
        byte[] bytes = withTransportChecksum(b, 6, sourceIp, destinationIp, IPPROTO_UDP);
        if (bytes[6] == 0 && bytes[7] == 0) {
            bytes[6] = bytes[7] = (byte) 0xff; // UDP sends a computed 0 as 0xffff (0 means "no checksum")
        }
        return bytes;
    }

    static byte[] icmpEcho(int type, int identifier, int sequence, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).put((byte) type).put((byte) 0).putShort((short) 0)
                .putShort((short) identifier).putShort((short) sequence).put(payload);
        byte[] bytes = b.array();
        b.putShort(2, (short) Checksums.internet(bytes, 0, bytes.length));
        return bytes;
    }

    static byte[] icmp6Echo(byte[] sourceIp, byte[] destinationIp, int type, int identifier, int sequence,
                            byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).put((byte) type).put((byte) 0).putShort((short) 0)
                .putShort((short) identifier).putShort((short) sequence).put(payload);
        return withTransportChecksum(b, 2, sourceIp, destinationIp, IPPROTO_ICMPV6);
    }

    static byte[] arp(int operation, byte[] senderMac, byte[] senderIp, byte[] targetMac, byte[] targetIp) {
        return ByteBuffer.allocate(28).putShort((short) 1).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4)
                .putShort((short) operation).put(senderMac).put(senderIp).put(targetMac).put(targetIp).array();
    }

    private static byte[] withTransportChecksum(ByteBuffer b, int checksumAt, byte[] sourceIp, byte[] destinationIp,
                                                int protocol) {
        byte[] bytes = b.array();
        int pseudo = Checksums.pseudoHeader(sourceIp, destinationIp, protocol, bytes.length);
        b.putShort(checksumAt, (short) Checksums.transport(bytes, pseudo));
        return bytes;
    }
}
