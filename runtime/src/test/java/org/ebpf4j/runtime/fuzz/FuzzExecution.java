package org.ebpf4j.runtime.fuzz;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.backend.JvmProgram;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.context.XdpFrame;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.runtime.interpreter.CheckedInterpreter;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.runtime.maps.MapTable;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.SharedRegions;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.XdpMd;

/**
 * Runs a fuzz case on one engine with one random input (a packet, map contents) and observes everything a run can
 * change: r0 or the fault, the packet, the main stack frame and every map. Each run gets fresh maps filled from the
 * input's seed, so runs of one input on different engines start from the same state.
 */
final class FuzzExecution {
    private FuzzExecution() {}

    /** The helpers of each program type as the JVM backend gives them. */
    static HelperRegistry helpers(ProgramType type) {
        return new JvmBackend().helpers(type);
    }

    /** A packet of 0 to 3 x 64 bytes (XDP: at least 14 for the other types' test runs) and a seed for the maps. */
    record Input(byte[] packet, long mapSeed) {
        static Input random(Random random) {
            int length = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(16);
                case 1 -> 14 + random.nextInt(50);
                default -> random.nextInt(192);
            };
            byte[] packet = new byte[length];
            random.nextBytes(packet);
            return new Input(packet, random.nextLong());
        }
    }

    /** What one run did, as text, so that two runs compare with equals and a difference prints readably. */
    record Outcome(String end, String packet, String stack, String maps) {
        boolean faulted() {
            return end.startsWith("fault");
        }

        @Override
        public String toString() {
            return end + "\npacket " + packet + "\nstack " + stack + "\nmaps " + maps;
        }
    }

    /**
     * Runs {@code c} on the executable {@code prepare} makes from the run's maps. XDP programs run on the frame and
     * context of a test run directly (so the stack can be read afterwards); other types through
     * {@link JvmProgram#testRun(ProgramType, int, String, Executable, TestRun)}.
     */
    /** The maps of one run: how lddw finds them, and where their values are (for the checked interpreter). */
    record Maps(MapResolver resolver, List<CheckedInterpreter.MapValues> values) {}

    static Outcome run(FuzzCase c, Function<Maps, Executable> prepare, Input input) {
        return runEach(c, List.of(prepare), input).getFirst();
    }

    /**
     * Runs {@code c} once on each engine, all prepared against the same maps (so that map handles and value
     * pointers a program leaks are the same numbers on each), the maps refilled from the input's seed before each
     * run.
     */
    static List<Outcome> runEach(FuzzCase c, List<Function<Maps, Executable>> engines, Input input) {
        List<JvmMap> maps = new ArrayList<>();
        try {
            for (MapSpec spec : c.options().maps()) {
                maps.add(JvmMaps.create(spec, 1));
            }
            Maps resolved = new Maps(MapTable.byIndex(maps), valueRegions(maps));
            List<Executable> executables = engines.stream().map(e -> e.apply(resolved)).toList();
            List<Outcome> outcomes = new ArrayList<>();
            for (Executable executable : executables) {
                fill(maps, input.mapSeed());
                outcomes.add(c.type() == ProgramType.XDP ? runXdp(executable, input, maps)
                        : runTestRun(c, executable, input, maps));
            }
            return outcomes;
        } finally {
            maps.forEach(JvmMap::close);
        }
    }

    private static Outcome runXdp(Executable executable, Input input, List<JvmMap> maps) {
        var invocation = new Invocation();
        var frame = new XdpFrame(input.packet(), 256, 0, input.packet().length);
        var context = new ContextMemory(XdpMd.LAYOUT);
        context.setU32(XdpMd.INGRESS_IFINDEX.name(), 1);
        frame.map(invocation, context);
        long r1 = invocation.map(context.region());
        String end;
        try {
            end = "r0 = " + r0(executable.run(invocation, r1, 0, 0, 0, 0));
        } catch (ProgramFault e) {
            end = "fault: " + e.getMessage();
        }
        byte[] stack = new byte[Invocation.STACK_SIZE];
        invocation.memory().read(Invocation.framePointer(0) - Invocation.STACK_SIZE, stack, 0, stack.length);
        return new Outcome(end, HexFormat.of().formatHex(frame.bytes()), HexFormat.of().formatHex(stack),
                contents(maps));
    }

    /**
     * r0, or for a map value pointer (privileged programs may return one) its offset only: two runs have two sets of
     * maps, whose value regions have different ids.
     */
    private static String r0(long r0) {
        int region = Pointer.regionId(r0);
        return region >= SharedRegions.FIRST_ID && region < Pointer.MAP_HANDLE_REGION
                ? "map value pointer + " + Pointer.offset(r0) : Long.toString(r0);
    }

    private static Outcome runTestRun(FuzzCase c, Executable executable, Input input, List<JvmMap> maps) {
        byte[] packet = input.packet().length >= 14 ? input.packet() : new byte[64];
        String end;
        String out = "";
        try {
            var result = JvmProgram.testRun(c.type(), 0, "fuzz", executable, TestRun.of(packet));
            end = "r0 = " + result.returnValue();
            out = HexFormat.of().formatHex(result.dataOut());
        } catch (ProgramFault e) {
            end = "fault: " + e.getMessage();
        } catch (BpfException e) {
            end = "refused: " + e.getMessage(); // a test-run input the kernel refuses too (errno)
        }
        return new Outcome(end, out, "", contents(maps));
    }

    /** Where each array's and hash map's values are: found with a lookup, as a program would. */
    private static List<CheckedInterpreter.MapValues> valueRegions(List<JvmMap> maps) {
        List<CheckedInterpreter.MapValues> values = new ArrayList<>();
        Helper lookup = MapHelpers.registry().get(HelperFunction.MAP_LOOKUP_ELEM.value());
        for (JvmMap map : maps) {
            boolean hash = map.type() == MapType.HASH || map.type() == MapType.LRU_HASH;
            if (map.type() != MapType.ARRAY && !hash || map.frozen() || map.readOnlyForPrograms()) {
                continue;
            }
            byte[] key = new byte[map.keySize()];
            if (hash) {
                map.update(key, new byte[map.valueSize()], 0);
            }
            var invocation = new Invocation();
            long value = lookup.call(invocation, map.handle(), invocation.map(Region.of("key", key)), 0, 0, 0);
            if (hash) {
                map.delete(key);
            }
            values.add(new CheckedInterpreter.MapValues(map.name(), Pointer.regionId(value),
                    (map.valueSize() + 7) & ~7, map.valueSize()));
        }
        return values;
    }

    /** Random contents: every element of an array, a few keys of a hash map (small keys, so lookups hit). */
    private static void fill(List<JvmMap> maps, long seed) {
        Random random = new Random(seed);
        for (JvmMap map : maps) {
            if (map.frozen() || map.readOnlyForPrograms()) {
                continue; // constants the verifier may have read
            }
            if (map.type() == MapType.ARRAY || map.type() == MapType.PERCPU_ARRAY) {
                for (int i = 0; i < map.maxEntries(); i++) {
                    map.update(key(map.keySize(), i), bytes(random, map.valueSize()), 0);
                }
            } else if (map.type() == MapType.HASH || map.type() == MapType.LRU_HASH) {
                map.keys().forEach(map::delete);
                int count = random.nextInt(map.maxEntries() + 1);
                for (int i = 0; i < count; i++) {
                    map.update(key(map.keySize(), random.nextInt(map.maxEntries() + 2)),
                            bytes(random, map.valueSize()), 0);
                }
            }
        }
    }

    private static byte[] key(int size, long value) {
        byte[] key = new byte[size];
        for (int i = 0; i < Math.min(size, 8); i++) {
            key[i] = (byte) (value >>> (8 * i));
        }
        return key;
    }

    private static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    /** Every array and hash map's keys and values in key order; other maps by name only. */
    static String contents(List<JvmMap> maps) {
        StringBuilder out = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (JvmMap map : maps) {
            out.append(map.name()).append(" {");
            if (map.type() == MapType.ARRAY || map.type() == MapType.HASH || map.type() == MapType.LRU_HASH) {
                map.keys().stream().map(hex::formatHex).sorted().forEach(k -> out.append(' ').append(k).append('=')
                        .append(map.lookup(hex.parseHex(k)).map(hex::formatHex).orElse("?")));
            }
            out.append(" } ");
        }
        return out.toString();
    }
}
