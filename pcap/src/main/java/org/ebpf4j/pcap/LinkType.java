package org.ebpf4j.pcap;

import java.util.Map;

/** tcpdump.org's LINKTYPE_ numbers, the first field of every capture's interface description. */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW = 101;
    public static final int IEEE802_11 = 105;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IEEE802_11_RADIOTAP = 127;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private static final Map<Integer, String> NAMES = Map.of(NULL, "NULL", ETHERNET, "ETHERNET", RAW, "RAW",
            IEEE802_11, "IEEE802_11", LOOP, "LOOP", LINUX_SLL, "LINUX_SLL", IEEE802_11_RADIOTAP,
            "IEEE802_11_RADIOTAP", IPV4, "IPV4", IPV6, "IPV6", LINUX_SLL2, "LINUX_SLL2");

    private LinkType() {}

    /** {@code 1 (ETHERNET)}, or the number alone when it has no name here. */
    public static String describe(int linkType) {
        String name = NAMES.get(linkType);
        return name == null ? Integer.toString(linkType) : linkType + " (" + name + ")";
    }
}
