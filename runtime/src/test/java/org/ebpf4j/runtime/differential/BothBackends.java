package org.ebpf4j.runtime.differential;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.backend.TestRunException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapType;

/**
 * The differential harness: one collection loaded into the kernel and into the JVM backend, the same test runs on
 * both, and everything observable compared as text (return value, packet and context out, or errno; then every
 * map's contents). The kernel is the oracle; where {@code bpf()} is not permitted, {@link #kernel()} is empty and
 * {@link #skipReason()} says why.
 */
public final class BothBackends {
    private static final Optional<Backend> KERNEL;
    private static final String SKIP_REASON;

    static {
        Backend kernel = null;
        String reason = "";
        try {
            kernel = LinuxBackend.open();
        } catch (BpfException | UnsupportedOperationException e) {
            reason = e.getMessage() + " (the kernel side needs bpf(): run as root)";
        }
        KERNEL = Optional.ofNullable(kernel);
        SKIP_REASON = reason;
    }

    private BothBackends() {}

    public static Optional<Backend> kernel() {
        return KERNEL;
    }

    public static String skipReason() {
        return SKIP_REASON;
    }

    /** What one side did with a collection and a run. */
    public record Observation(String load, String run, Map<String, Map<String, String>> maps) {
        /** Whether the side loaded the collection at all (the kernel's verifier may refuse it). */
        public boolean loaded() {
            return load.equals("loaded");
        }
    }

    /** Loads {@code spec} on the kernel, runs {@code program} once with {@code run}, and observes it. */
    public static Observation onKernel(CollectionSpec spec, String program, TestRun run, LoadOptions options) {
        return observe(() -> KERNEL.orElseThrow().load(spec, options), program, run);
    }

    /** The same on the JVM backend. Until the JVM backend verifies, it loads unverified: the kernel has verified. */
    public static Observation onJvm(CollectionSpec spec, String program, TestRun run, LoadOptions options) {
        return observe(() -> new JvmBackend().load(spec, options.unverified()), program, run);
    }

    /**
     * Runs {@code program} on the kernel, the interpreter and the JIT (default load options): the interpreter's
     * observation must equal the kernel's, and so must the JIT's run. Returns the kernel's observation.
     */
    public static Observation assertAllAgree(CollectionSpec spec, String program, TestRun run, String what) {
        Observation kernel = onKernel(spec, program, run, LoadOptions.defaults());
        org.junit.jupiter.api.Assertions.assertEquals(kernel, onJvm(spec, program, run, LoadOptions.defaults()),
                what);
        try (Collection jit = new JvmBackend().withEngine(org.ebpf4j.runtime.Engine.JIT).load(spec)) {
            org.junit.jupiter.api.Assertions.assertEquals(kernel.run(),
                    outcome(() -> jit.program(program).testRun(run)), what + " (JIT)");
        }
        return kernel;
    }

    private static Observation observe(Supplier<Collection> load, String program, TestRun run) {
        Collection collection;
        try {
            collection = load.get();
        } catch (VerifierException e) {
            return new Observation("refused: " + e.getMessage().lines().findFirst().orElse(""), "", Map.of());
        }
        try (collection) {
            return new Observation("loaded", outcome(() -> collection.program(program).testRun(run)),
                    contents(collection));
        }
    }

    /** "retval N, data out ..., ctx out ..." or "errno NAME": the same text for the same outcome on either side. */
    public static String outcome(Supplier<TestRunResult> run) {
        try {
            TestRunResult r = run.get();
            return "retval " + r.returnValue() + ", data out " + r.dataOut().length + " bytes "
                    + Integer.toHexString(Arrays.hashCode(r.dataOut()))
                    + ", ctx out " + HexFormat.of().formatHex(r.contextOut());
        } catch (TestRunException e) {
            return "errno " + e.errno();
        } catch (LinuxBpfException e) {
            return "errno " + e.errno().map(Enum::name).orElse(String.valueOf(e.errnoValue()));
        }
    }

    /**
     * Maps user space cannot walk by key or read by key (GET_NEXT_KEY or LOOKUP_ELEM answer EINVAL or ENOTSUPP),
     * and perf event arrays, which hold the perf events user space put there.
     */
    private static final Set<MapType> WITHOUT_KEYS = EnumSet.of(MapType.QUEUE, MapType.STACK, MapType.RINGBUF,
            MapType.USER_RINGBUF, MapType.BLOOM_FILTER, MapType.PERF_EVENT_ARRAY);
    private static final Set<MapType> PER_CPU = EnumSet.of(MapType.PERCPU_ARRAY, MapType.PERCPU_HASH,
            MapType.LRU_PERCPU_HASH, MapType.PERCPU_CGROUP_STORAGE);
    /** Maps whose values read from user space are ids of kernel objects, which each side numbers its own way. */
    private static final Set<MapType> HOLDING_IDS = EnumSet.of(MapType.PROG_ARRAY, MapType.ARRAY_OF_MAPS,
            MapType.HASH_OF_MAPS);

    /**
     * Every map as sorted hex key -> hex value; the values of maps holding object ids as "(an id)", maps without
     * keys as empty, and per-CPU values as the sorted non-zero values of any CPU (which CPU ran the program, and how
     * many CPUs there are, differ between the sides).
     */
    public static Map<String, Map<String, String>> contents(Collection collection) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (BpfMap map : collection.maps().values()) {
            Map<String, String> entries = new TreeMap<>();
            if (WITHOUT_KEYS.contains(map.type())) {
                all.put(map.name(), entries);
                continue;
            }
            for (byte[] key : map.keys()) {
                if (PER_CPU.contains(map.type())) {
                    entries.put(hex.formatHex(key), map.lookupPerCpu(key).map(BothBackends::nonZero)
                            .orElse("(gone)"));
                    continue;
                }
                entries.put(hex.formatHex(key), map.lookup(key)
                        .map(v -> HOLDING_IDS.contains(map.type()) ? "(an id)" : hex.formatHex(v))
                        .orElse("(gone)"));
            }
            all.put(map.name(), entries);
        }
        return all;
    }

    private static String nonZero(List<byte[]> perCpu) {
        return "per CPU " + perCpu.stream()
                .filter(v -> !Arrays.equals(v, new byte[v.length]))
                .map(HexFormat.of()::formatHex)
                .sorted()
                .toList();
    }
}
