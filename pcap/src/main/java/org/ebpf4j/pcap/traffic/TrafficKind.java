package org.ebpf4j.pcap.traffic;

/** The kinds of frames the generator writes, with their weights in the mix (out of 1000). */
public enum TrafficKind {
    TCP4(330),
    UDP4(170),
    ICMP4(60),
    TCP6(130),
    UDP6(90),
    ICMP6(50),
    ARP(50),
    /** 802.1Q-tagged IPv4 TCP or IPv6 UDP. */
    VLAN(25),
    /** IPv4 with a Router Alert option (IHL 6) carrying UDP. */
    IPV4_OPTIONS(20),
    /** An IPv4 UDP fragment other than the first. */
    IPV4_FRAGMENT(15),
    /** IPv4 carrying GRE: neither TCP, UDP nor ICMP. */
    GRE4(15),
    /** LLDP: neither IPv4, IPv6 nor ARP. */
    LLDP(15),
    /** A TCP or UDP frame whose capture ends inside the IPv4 or IPv6 header. */
    CUT_NETWORK(10),
    /** A TCP or UDP frame whose capture ends inside the transport header. */
    CUT_TRANSPORT(15),
    /** A frame whose capture ends inside the Ethernet header. */
    RUNT(5);

    final int weight;

    TrafficKind(int weight) {
        this.weight = weight;
    }
}
