package org.ebpf4j.runtime.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every program of every committed little-endian fixture object, loaded into the kernel and into the JVM backend
 * on its own with its object's maps: where the JVM backend can test-run its type, both run it on the same packets
 * and must agree on the load, the return value, data and context out (or errno) and every map's contents after the
 * run. Programs whose output is not determined by their input are listed in {@link #EXCLUDED} with what is still
 * compared; programs of other types, or that the kernel refuses to load here, are counted by reason. The counts
 * are printed after the run.
 */
class FixtureDifferentialTest {
    private static final Path OBJECTS = Path.of("..", "fixtures", "obj");
    private static final Set<ProgramType> RUNNABLE = Set.of(ProgramType.XDP, ProgramType.SOCKET_FILTER,
            ProgramType.SCHED_CLS, ProgramType.SCHED_ACT);
    /**
     * The same {@code .kconfig} values on both sides: the kernel side would otherwise read the running release
     * (6.18.x) where the JVM backend states 6.18.0, the release it follows.
     */
    static final LoadOptions OPTIONS = LoadOptions.defaults().withKconfig(Map.of(
            "LINUX_KERNEL_VERSION", (6L << 16) + (18L << 8), "CONFIG_HZ", 250L, "CONFIG_BPF_SYSCALL", 1L));

    /** What an excluded program still has compared, and why the rest cannot be. */
    enum Compared {
        /** Return value, data and context out: not the maps. */
        RUN_NOT_MAPS,
        /** Data and context out and the maps: not the return value. */
        ALL_BUT_THE_RETURN_VALUE
    }

    record Exclusion(Compared compared, String reason) {}

    private static final String RANDOM_BIT = "returns bpf_get_prandom_u32() & 1 (sections.c's PROG macro)";

    /** By object name without its ISA level ({@code maps} for {@code maps.v3.o}) and program. */
    static final Map<String, Exclusion> EXCLUDED = Map.ofEntries(
            Map.entry("maps/sample", new Exclusion(Compared.RUN_NOT_MAPS,
                    "counts under a key from bpf_get_prandom_u32()")),
            Map.entry("process_helpers/current", new Exclusion(Compared.RUN_NOT_MAPS,
                    "stores the pid, tgid, uid and comm of the task that runs it (the test-run thread on each side)")),
            Map.entry("subprogs/sock_one", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE,
                    "returns leaf(bpf_get_prandom_u32())")),
            Map.entry("sections/xdp_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/xdp_frags_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/tc_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/classifier_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/tc_ingress_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/socket_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)));

    private static final Map<String, Integer> COMPARED = new TreeMap<>();
    private static final Map<String, String> EXCLUDED_SEEN = new TreeMap<>();
    private static final Map<String, List<String>> NOT_RUN = new TreeMap<>();

    static Stream<Arguments> programs() {
        List<Arguments> all = new ArrayList<>();
        for (Path object : littleEndianObjects()) {
            for (String program : load(object).programs().keySet()) {
                all.add(Arguments.of(object.getFileName().toString(), program));
            }
        }
        return all.stream();
    }

    /** The packets every program runs on: zeroes, an IPv4/UDP frame, and a bare Ethernet header. */
    static List<TestRun> packets() {
        return List.of(TestRun.of(new byte[64]), TestRun.of(ipv4Udp()), TestRun.of(counting(14)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("programs")
    void kernelAndJvmAgree(String object, String program) {
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends::skipReason);
        CollectionSpec spec = withOnly(load(OBJECTS.resolve(object)), program);
        ProgramType type = spec.program(program).type();
        String id = object + " " + program;
        if (!RUNNABLE.contains(type)) {
            notRun("type " + type.kernelName() + " has no JVM test run", id);
            abort(id + ": the JVM backend cannot test-run " + type.kernelName() + " programs");
        }
        Exclusion exclusion = EXCLUDED.get(stem(object) + "/" + program);
        for (TestRun run : packets()) {
            String input = run.data().length + "-byte packet " + describe(run.data());
            BothBackends.Observation kernel;
            try {
                kernel = BothBackends.onKernel(spec, program, run, OPTIONS);
            } catch (LinuxBpfException e) {
                notRun("the kernel refuses to load it: " + e.getMessage(), id);
                abort(id + ": the kernel refuses to load it: " + e.getMessage());
                return;
            }
            if (!kernel.loaded()) {
                notRun("the kernel's verifier " + kernel.load(), id);
                abort(id + ": the kernel's verifier " + kernel.load());
            }
            BothBackends.Observation jvm = BothBackends.onJvm(spec, program, run, OPTIONS);
            assertEquals(kernel.load(), jvm.load(), id + " on the " + input + ": load");
            if (exclusion == null) {
                assertEquals(kernel, jvm, id + " on the " + input);
            } else if (exclusion.compared() == Compared.RUN_NOT_MAPS) {
                assertEquals(kernel.run(), jvm.run(), id + " on the " + input + ": run");
            } else {
                assertEquals(withoutReturnValue(kernel.run()), withoutReturnValue(jvm.run()), id + " on the " + input);
                assertEquals(kernel.maps(), jvm.maps(), id + " on the " + input + ": maps");
            }
        }
        synchronized (FixtureDifferentialTest.class) {
            if (exclusion == null) {
                COMPARED.merge(type.kernelName(), 1, Integer::sum);
            } else {
                EXCLUDED_SEEN.put(id, exclusion.compared() + ": " + exclusion.reason());
            }
        }
    }

    @AfterAll
    static void printSummary() {
        if (BothBackends.kernel().isEmpty()) {
            return;
        }
        int compared = COMPARED.values().stream().mapToInt(Integer::intValue).sum();
        int notRun = NOT_RUN.values().stream().mapToInt(List::size).sum();
        System.out.printf("fixture differential: %d programs compared, %d excluded (%s), %d not test-runnable%n",
                compared, EXCLUDED_SEEN.size(), String.join("; ", EXCLUDED_SEEN.entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).toList()), notRun);
        System.out.println("  compared by type: " + COMPARED);
        NOT_RUN.forEach((reason, ids) -> System.out.println("  not run, " + ids.size() + ": " + reason + " " + ids));
    }

    private static synchronized void notRun(String reason, String id) {
        NOT_RUN.computeIfAbsent(reason, r -> new ArrayList<>()).add(id);
    }

    private static List<Path> littleEndianObjects() {
        try (Stream<Path> files = Files.list(OBJECTS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".o"))
                    .filter(p -> !p.getFileName().toString().contains(".bpfeb."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CollectionSpec load(Path object) {
        try {
            return ObjectLoader.load(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "data out ..., ctx out ..." of {@link BothBackends#outcome}'s "retval N, data out ..., ctx out ...". */
    static String withoutReturnValue(String run) {
        return run.startsWith("retval ") ? run.substring(run.indexOf(", ") + 2) : run;
    }

    static String stem(String object) {
        return object.substring(0, object.indexOf('.'));
    }

    /**
     * The program with all its object's maps, so that each loads (or is refused) on its own. Prog-array slots
     * naming other programs are dropped: the other programs are not loaded.
     */
    static CollectionSpec withOnly(CollectionSpec collection, String program) {
        Map<String, MapSpec> maps = new LinkedHashMap<>();
        for (MapSpec m : collection.maps().values()) {
            maps.put(m.name(), m.withContents(m.contents().stream()
                    .filter(e -> !(e instanceof MapSpec.MapEntry.Program p) || p.programName().equals(program))
                    .toList()));
        }
        return new CollectionSpec(collection.name(), Map.of(program, collection.program(program)), maps,
                collection.kconfigExterns(), collection.btf(), collection.byteOrder());
    }

    /** Ethernet, IPv4 (10.0.0.1 -> 10.0.0.2, checksummed) and UDP (1234 -> 53) around 16 bytes of payload. */
    private static byte[] ipv4Udp() {
        byte[] f = new byte[14 + 20 + 8 + 16];
        for (int i = 0; i < 12; i++) {
            f[i] = (byte) (0x10 + i);
        }
        f[12] = 0x08;
        int ip = 14;
        f[ip] = 0x45;
        f[ip + 3] = (byte) (20 + 8 + 16);
        f[ip + 5] = 0x2a;
        f[ip + 6] = 0x40; // don't fragment
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        f[ip + 12] = 10;
        f[ip + 15] = 1;
        f[ip + 16] = 10;
        f[ip + 19] = 2;
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((f[ip + i] & 0xff) << 8) | (f[ip + i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        f[ip + 10] = (byte) (sum >>> 8);
        f[ip + 11] = (byte) sum;
        int udp = ip + 20;
        f[udp] = 0x04;
        f[udp + 1] = (byte) 0xd2;
        f[udp + 3] = 53;
        f[udp + 5] = 8 + 16;
        for (int i = 0; i < 16; i++) {
            f[udp + 8 + i] = (byte) i;
        }
        return f;
    }

    private static byte[] counting(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static String describe(byte[] data) {
        return data.length == 64 ? "(zeroes)" : data.length == 14 ? "(bytes 0..13)" : "(IPv4/UDP)";
    }
}
