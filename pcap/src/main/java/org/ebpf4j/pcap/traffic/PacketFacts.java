package org.ebpf4j.pcap.traffic;

import java.util.Optional;

/**
 * What the generator put in a frame, as a reader of its headers would find it: enough to know, without parsing the
 * bytes, what any program that parses Ethernet, VLAN, IPv4, IPv6, TCP and UDP sees.
 *
 * @param kind the kind of traffic
 * @param etherType the EtherType after the VLAN tag, if any (-1 when the capture cut the Ethernet header)
 * @param vlanTagged whether one 802.1Q tag precedes it
 * @param ipProtocol the IPv4 protocol or IPv6 next header (-1 when not IP, or when the IP header is cut)
 * @param laterFragment an IPv4 fragment other than the first: no transport header
 * @param source the IP source address as 16 bytes, IPv4 as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}); empty when
 *     not IP or when the capture cut the IP header
 * @param destinationPort the TCP or UDP destination port (-1 when there is none, or it was cut)
 * @param cut which header, if any, the capture cut short
 */
public record PacketFacts(TrafficKind kind, int etherType, boolean vlanTagged, int ipProtocol, boolean laterFragment,
                          Optional<byte[]> source, int destinationPort, Cut cut) {

    /** Where the capture ends a frame early (a snap length shorter than the frame). */
    public enum Cut {
        NONE,
        /** Shorter than an Ethernet header. */
        ETHERNET_HEADER,
        /** Inside the IPv4 or IPv6 header. */
        NETWORK_HEADER,
        /** Inside the TCP or UDP header. */
        TRANSPORT_HEADER
    }
}
