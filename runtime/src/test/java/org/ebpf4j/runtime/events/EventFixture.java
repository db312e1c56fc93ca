package org.ebpf4j.runtime.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/** fixtures/src/events.c: its packets, its results, the kernel to compare with. */
public final class EventFixture {
    private EventFixture() {}

    public static final int OUTPUT = 0;
    public static final int SUBMIT = 1;
    public static final int DISCARD = 2;
    public static final int BAD_RESERVE = 3;
    public static final int LARGE = 4;
    public static final int PERF = 5;
    public static final int PERF_BAD_INDEX = 6;
    public static final int PERF_PACKET = 7;

    /** The answers the program stores: the helper's, then the four ring queries and an unknown selector. */
    public static final int RESULTS = 6;

    private static Backend kernel;
    private static String skipReason;

    /** The kernel backend, or null with {@link #skipReason()} saying why. */
    public static synchronized Backend kernel() {
        if (kernel == null && skipReason == null) {
            try {
                kernel = LinuxBackend.open();
            } catch (BpfException | UnsupportedOperationException e) {
                skipReason = e.getMessage() + " (the kernel side needs bpf(): run as root)";
            }
        }
        return kernel;
    }

    public static String skipReason() {
        return skipReason;
    }

    public static CollectionSpec spec(String level) {
        try {
            return ObjectLoader.load(Path.of("..", "fixtures", "obj", "events." + level + ".o"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Collection load(Backend backend, String level) {
        return backend.load(spec(level), LoadOptions.defaults().unverified());
    }

    /** A packet asking for {@code what}, a record of {@code size} bytes, wakeup {@code flags}, bytes from seq. */
    public static TestRun packet(int what, int size, int flags, long seq) {
        return packet(what, size, flags, 0, seq);
    }

    /** The same with {@code packetBytes} of the packet to append to a perf sample. */
    public static TestRun packet(int what, int size, int flags, int packetBytes, long seq) {
        ByteBuffer p = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        p.put(0, (byte) what).put(1, (byte) size).put(2, (byte) flags).put(3, (byte) packetBytes);
        for (int i = 8; i < 64; i += 8) {
            p.putLong(i, seq * 0x9e3779b97f4a7c15L + i);
        }
        return TestRun.of(p.array());
    }

    /** The results array as signed numbers. */
    public static List<Long> results(Collection c) {
        return java.util.stream.IntStream.range(0, RESULTS)
                .mapToObj(k -> c.map("results").lookup(u32(k)).map(EventFixture::s64).orElseThrow())
                .toList();
    }

    public static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    public static long s64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public static String hex(ByteBuffer record) {
        byte[] b = new byte[record.remaining()];
        record.duplicate().get(b);
        return HexFormat.of().formatHex(b);
    }

    /** A maps-only collection holding one map. */
    public static CollectionSpec mapOnly(String name, MapType type, int keySize, int valueSize, int maxEntries,
                                         int flags) {
        MapSpec spec = new MapSpec(name, type, keySize, valueSize, maxEntries, flags, MapPinning.NONE, 0, 0,
                Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.BTF);
        return new CollectionSpec("events", java.util.Map.of(), java.util.Map.of(name, spec), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
    }
}
