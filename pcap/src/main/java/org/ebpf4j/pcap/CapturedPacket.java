package org.ebpf4j.pcap;

import java.util.Objects;

/**
 * One packet of a capture file.
 *
 * @param number the packet's position in the file, from 1 (as Wireshark counts)
 * @param offset the file offset of its record (pcap) or block (pcapng)
 * @param interfaceId the pcapng interface it was captured on (0 in pcap files)
 * @param linkType the interface's link type ({@link LinkType}), which says how to read {@code data}
 * @param timestampNanos the capture time in nanoseconds since the Unix epoch
 * @param originalLength the packet's length on the wire; more than {@code data.length} when the capture cut it
 * @param data the captured bytes
 */
public record CapturedPacket(int number, long offset, int interfaceId, int linkType, long timestampNanos,
                             int originalLength, byte[] data) {
    public CapturedPacket {
        Objects.requireNonNull(data);
    }

    /** A packet to write: numbers and offsets are the writer's business. */
    public static CapturedPacket of(long timestampNanos, byte[] data) {
        return new CapturedPacket(0, 0, 0, LinkType.ETHERNET, timestampNanos, data.length, data);
    }
}
