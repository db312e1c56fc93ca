package org.ebpf4j.runtime.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/** Map specs and little-endian byte helpers for the map tests. */
final class Specs {
    private Specs() {}

    static MapSpec spec(MapType type, int keySize, int valueSize, int maxEntries, int flags) {
        return spec(type, keySize, valueSize, maxEntries, flags, 0);
    }

    static MapSpec spec(MapType type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra) {
        return new MapSpec("m_" + type.name().toLowerCase(), type, keySize, valueSize, maxEntries, flags,
                MapPinning.NONE, 0, mapExtra, Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.BTF);
    }

    static byte[] u32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long asLong(byte[] b) {
        return b.length == 4 ? ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffff_ffffL
                : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** An LPM key for IPv4: prefix length (host order) then the address in network order. */
    static byte[] ipv4(int prefix, int a, int b, int c, int d) {
        return new byte[] {(byte) prefix, 0, 0, 0, (byte) a, (byte) b, (byte) c, (byte) d};
    }
}
