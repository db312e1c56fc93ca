package org.ebpf4j.pcap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A capture file read whole: its format and its packets in file order. {@link #read} recognises the format by its
 * first four bytes; every problem is a {@link CaptureFormatException} naming the offset and the record or block.
 */
public record Capture(String name, CaptureFormat format, List<CapturedPacket> packets) {
    public Capture {
        packets = List.copyOf(packets);
    }

    public static Capture read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    public static Capture parse(String name, byte[] bytes) {
        if (bytes.length < 4) {
            throw new CaptureFormatException(name, 0, "file header", "the file has " + bytes.length
                    + " bytes; a pcap or pcapng file starts with a 4-byte magic number");
        }
        if (PcapReader.recognises(bytes)) {
            return new Capture(name, CaptureFormat.PCAP, new PcapReader(name, bytes).packets());
        }
        if (PcapngReader.recognises(bytes)) {
            return new Capture(name, CaptureFormat.PCAPNG, new PcapngReader(name, bytes).packets());
        }
        throw new CaptureFormatException(name, 0, "file header", String.format(
                "not a pcap or pcapng file: it starts with %02x %02x %02x %02x", bytes[0], bytes[1], bytes[2],
                bytes[3]));
    }
}
