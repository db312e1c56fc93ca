package org.ebpf4j.pcap.traffic;

/** The Internet checksum (RFC 1071) and the pseudo-headers TCP, UDP and ICMPv6 sum with their segment. */
public final class Checksums {
    private Checksums() {}

    /** The ones'-complement sum of 16-bit big-endian words, folded, not complemented. */
    static int sum(byte[] bytes, int offset, int length, int initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += (bytes[offset + i] & 0xff) << 8 | bytes[offset + i + 1] & 0xff;
        }
        if ((length & 1) != 0) {
            sum += (bytes[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum to store in a header whose checksum field is zero. */
    public static int internet(byte[] bytes, int offset, int length) {
        return ~sum(bytes, offset, length, 0) & 0xffff;
    }

    /** True when the bytes, checksum field included, sum to 0xffff: what a receiver checks. */
    public static boolean verifies(byte[] bytes, int offset, int length, int pseudoHeaderSum) {
        return sum(bytes, offset, length, pseudoHeaderSum) == 0xffff;
    }

    /** The partial sum of the IPv4 or IPv6 pseudo-header for a transport segment of {@code length} bytes. */
    public static int pseudoHeader(byte[] source, byte[] destination, int protocol, int length) {
        byte[] header = new byte[source.length * 2 + 8];
        System.arraycopy(source, 0, header, 0, source.length);
        System.arraycopy(destination, 0, header, source.length, destination.length);
        int at = source.length * 2;
        header[at] = (byte) (length >>> 24);
        header[at + 1] = (byte) (length >>> 16);
        header[at + 2] = (byte) (length >>> 8);
        header[at + 3] = (byte) length;
        header[at + 7] = (byte) protocol;
        return sum(header, 0, header.length, 0);
    }

    /** The checksum of a transport segment (checksum field zero) under its pseudo-header. */
    public static int transport(byte[] segment, int pseudoHeaderSum) {
        return ~sum(segment, 0, segment.length, pseudoHeaderSum) & 0xffff;
    }
}
