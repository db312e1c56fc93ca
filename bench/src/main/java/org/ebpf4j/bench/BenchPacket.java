package org.ebpf4j.bench;

/**
 * The frame every suite program runs on (bench/src/main/c/bench.h names its layout): Ethernet, IPv4 from 10.0.0.1 to
 * 10.0.0.2, UDP from port 40000 to 4789, and {@value #PAYLOAD_LENGTH} bytes of payload whose pattern repeats every
 * 256 bytes and holds no zero byte, so that the payload's first two 256-byte blocks compare equal as strings.
 */
final class BenchPacket {
    private BenchPacket() {}

    static final int LENGTH = 1024;
    static final int PAYLOAD_OFFSET = 42;
    static final int PAYLOAD_LENGTH = LENGTH - PAYLOAD_OFFSET;

    static byte[] udpFrame() {
        byte[] f = new byte[LENGTH];
        put(f, 0, 0x02, 0, 0, 0, 0, 2);
        put(f, 6, 0x02, 0, 0, 0, 0, 1);
        put(f, 12, 0x08, 0x00);
        int ipLength = LENGTH - 14;
        put(f, 14, 0x45, 0, ipLength >> 8, ipLength & 0xff, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2);
        int udpLength = ipLength - 20;
        put(f, 34, 40000 >> 8, 40000 & 0xff, 4789 >> 8, 4789 & 0xff, udpLength >> 8, udpLength & 0xff, 0, 0);
        for (int i = 0; i < PAYLOAD_LENGTH; i++) {
            int b = (i * 7 + 3) & 0xff;
            f[PAYLOAD_OFFSET + i] = (byte) (b == 0 ? 0x5a : b);
        }
        return f;
    }

    private static void put(byte[] frame, int offset, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            frame[offset + i] = (byte) bytes[i];
        }
    }
}
