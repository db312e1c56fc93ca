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
import org.ebpf4j.runtime.backend.ProgramVerification;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
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
            ProgramType.SCHED_CLS, ProgramType.SCHED_ACT, ProgramType.CGROUP_SKB, ProgramType.RAW_TRACEPOINT,
            ProgramType.SYSCALL, ProgramType.LWT_IN, ProgramType.LWT_OUT, ProgramType.LWT_XMIT,
            ProgramType.SK_LOOKUP, ProgramType.FLOW_DISSECTOR, ProgramType.NETFILTER);
    /** Types the kernel loads but does not test-run (ENOTSUPP): the interpreter and the JIT are compared. */
    private static final Set<ProgramType> JVM_ONLY = Set.of(ProgramType.KPROBE, ProgramType.TRACEPOINT,
            ProgramType.PERF_EVENT, ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SOCK, ProgramType.SK_SKB,
            ProgramType.CGROUP_DEVICE, ProgramType.CGROUP_SYSCTL, ProgramType.SOCK_OPS, ProgramType.SK_MSG);
    /** Whether the JVM backend test-runs programs of {@code type} (against the kernel or interpreter vs JIT). */
    static boolean jvmTestRuns(ProgramType type) {
        return RUNNABLE.contains(type) || JVM_ONLY.contains(type);
    }

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
            Map.entry("sections/socket_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("btf_maps/record", new Exclusion(Compared.RUN_NOT_MAPS,
                    "stores the pid and bpf_ktime_get_ns() of the run")),
            Map.entry("sections/kprobe_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/kretprobe_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/ksyscall_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/uprobe_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/uretprobe_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/usdt_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/tracepoint_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/tp_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/raw_tp_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/raw_tracepoint_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/syscall_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/perf_event_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/cgroup_skb_ingress_prog",
                    new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/cgroup_skb_egress_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/cgroup_skb_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/cgroup_sock_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/cgroup_connect4_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/sk_skb_parser_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/sk_skb_verdict_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/sk_lookup_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/lwt_in_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/lwt_xmit_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/cgroup_dev_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/cgroup_sysctl_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/sockops_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/flow_dissector_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/netfilter_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)),
            Map.entry("sections/sk_msg_prog", new Exclusion(Compared.ALL_BUT_THE_RETURN_VALUE, RANDOM_BIT)));

    private static final Map<String, Integer> COMPARED = new TreeMap<>();
    private static final Map<String, Integer> VERIFIED = new TreeMap<>();
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

    /**
     * Socket lookups: an IPv4 TCP one, an IPv6 UDP one (struct bpf_sk_lookup: family at 8, protocol at 12, remote
     * address and port, local address and port), and zeroes (no family: EAFNOSUPPORT on both sides).
     */
    static List<TestRun> skLookups() {
        java.nio.ByteBuffer v4 = java.nio.ByteBuffer.allocate(72).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        v4.putInt(8, 2).putInt(12, 6).putInt(16, 0x0100007f).putShort(36, (short) 0x3930).putInt(40, 0x0200007f)
                .putInt(60, 80);
        java.nio.ByteBuffer v6 = java.nio.ByteBuffer.allocate(72).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        v6.putInt(8, 10).putInt(12, 17).put(35, (byte) 1).putShort(36, (short) 0x3500).put(59, (byte) 2)
                .putInt(60, 53);
        return List.of(TestRun.withoutData().ctx(v4.array()), TestRun.withoutData().ctx(v6.array()),
                TestRun.withoutData().ctx(new byte[72]));
    }

    /** The packets every program runs on: zeroes, an IPv4/UDP frame, and a bare Ethernet header. */
    static List<TestRun> packets() {
        return List.of(TestRun.of(new byte[64]), TestRun.of(ipv4Udp()), TestRun.of(counting(14)));
    }

    /**
     * The inputs of each type: packets, or for the context-only types zeroes and counting bytes as large as the
     * context can be (raw tracepoint arguments, pt_regs, bpf_perf_event_data) or 512 bytes (a syscall buffer, a
     * tracepoint record).
     */
    static List<TestRun> inputs(ProgramType type) {
        int size = switch (type) {
            case RAW_TRACEPOINT -> org.ebpf4j.spec.context.RawTracepointArgs.MAX_SIZE;
            case KPROBE -> org.ebpf4j.spec.context.PtRegs.SIZE;
            case PERF_EVENT -> org.ebpf4j.spec.context.PerfEventData.SIZE;
            case SYSCALL, TRACEPOINT -> 512;
            case CGROUP_SOCK_ADDR -> org.ebpf4j.spec.context.BpfSockAddr.SIZE;
            case CGROUP_SOCK -> org.ebpf4j.spec.context.BpfSock.SIZE;
            case CGROUP_DEVICE -> org.ebpf4j.spec.context.BpfCgroupDevCtx.SIZE;
            case CGROUP_SYSCTL -> org.ebpf4j.spec.context.BpfSysctl.SIZE;
            case SOCK_OPS -> org.ebpf4j.spec.context.BpfSockOps.SIZE;
            default -> 0;
        };
        if (type == ProgramType.SK_LOOKUP) {
            return skLookups();
        }
        if (size == 0) {
            return packets();
        }
        return List.of(TestRun.withoutData().ctx(new byte[size]), TestRun.withoutData().ctx(counting(size)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("programs")
    void kernelAndJvmAgree(String object, String program) {
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends::skipReason);
        CollectionSpec spec = withOnly(load(OBJECTS.resolve(object)), program);
        ProgramType type = spec.program(program).type();
        String id = object + " " + program;
        if (JVM_ONLY.contains(type)) {
            interpreterAndJitAgree(spec, program, type, id, EXCLUDED.get(stem(object) + "/" + program));
            return;
        }
        if (!RUNNABLE.contains(type)) {
            notRun("type " + type.kernelName() + " has no JVM test run", id);
            abort(id + ": the JVM backend cannot test-run " + type.kernelName() + " programs");
        }
        Exclusion exclusion = EXCLUDED.get(stem(object) + "/" + program);
        List<TestRun> runs = inputs(type);
        for (TestRun run : runs) {
            String input = describe(run);
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
            if (run == runs.getFirst()) {
                checkOurVerifier(spec, program, id);
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

    /**
     * KPROBE, TRACEPOINT, PERF_EVENT, CGROUP_SOCK_ADDR, CGROUP_SOCK, CGROUP_DEVICE, CGROUP_SYSCTL, SOCK_OPS, SK_SKB
     * and SK_MSG (on the packets): the kernel must load the program (its test run says ENOTSUPP), and the
     * interpreter and the JIT must agree on each context or packet (the return value or the fault, and the maps).
     */
    private static void interpreterAndJitAgree(CollectionSpec spec, String program, ProgramType type, String id,
                                               Exclusion exclusion) {
        try (org.ebpf4j.api.Collection loaded = BothBackends.kernel().orElseThrow().load(spec, OPTIONS)) {
            loaded.program(program);
        } catch (org.ebpf4j.api.VerifierException | LinuxBpfException e) {
            notRun("the kernel refuses to load it: " + e.getMessage().lines().findFirst().orElse(""), id);
            abort(id + ": the kernel refuses to load it: " + e.getMessage());
        }
        checkOurVerifier(spec, program, id);
        for (TestRun run : inputs(type)) {
            BothBackends.Observation interpreted = jvmObservation(spec, program, run,
                    org.ebpf4j.runtime.Engine.INTERPRETER);
            BothBackends.Observation compiled = jvmObservation(spec, program, run, org.ebpf4j.runtime.Engine.JIT);
            String input = describe(run);
            String where = id + " on the " + input + ", interpreter vs JIT";
            if (exclusion == null) {
                assertEquals(interpreted, compiled, where);
            } else if (exclusion.compared() == Compared.RUN_NOT_MAPS) {
                assertEquals(interpreted.run(), compiled.run(), where);
            } else {
                assertEquals(withoutReturnValue(interpreted.run()), withoutReturnValue(compiled.run()), where);
                assertEquals(interpreted.maps(), compiled.maps(), where + ": maps");
            }
        }
        synchronized (FixtureDifferentialTest.class) {
            if (exclusion == null) {
                COMPARED.merge(type.kernelName() + " (interpreter vs JIT)", 1, Integer::sum);
            } else {
                EXCLUDED_SEEN.put(id, exclusion.compared() + " (interpreter vs JIT): " + exclusion.reason());
            }
        }
    }

    /** The run's outcome (or its fault) and the maps after it, on one engine. */
    private static BothBackends.Observation jvmObservation(CollectionSpec spec, String program, TestRun run,
                                                           org.ebpf4j.runtime.Engine engine) {
        try (org.ebpf4j.api.Collection c = new org.ebpf4j.runtime.backend.JvmBackend().withEngine(engine)
                .load(spec, OPTIONS.unverified())) {
            String outcome;
            try {
                outcome = BothBackends.outcome(() -> c.program(program).testRun(run));
            } catch (org.ebpf4j.runtime.ProgramFault e) {
                outcome = "fault " + e.getMessage();
            }
            return new BothBackends.Observation("loaded", outcome, BothBackends.contents(c));
        }
    }

    /**
     * What the kernel loads, ebpf4j's verifier accepts or names as unsupported: a rejection by a rule would be a
     * false reject. (The JVM side below runs unverified, so that unsupported programs are compared too.)
     */
    private static void checkOurVerifier(CollectionSpec spec, String program, String id) {
        Verdict verdict = ProgramVerification.verdict(spec.program(program),
                ProgramVerification.mapsAsCreated(spec, OPTIONS.kconfig()), spec.btf());
        if (verdict instanceof Verdict.Rejected r) {
            assertEquals(Verdict.Cause.UNSUPPORTED, r.cause(), id + ": ebpf4j's verifier rejects what the kernel"
                    + " loads: " + r.message());
        }
        synchronized (FixtureDifferentialTest.class) {
            VERIFIED.merge(verdict instanceof Verdict.Accepted ? "accepted" : "unsupported", 1, Integer::sum);
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
        System.out.println("  ebpf4j's verifier on the programs the kernel loads (and test-runnable): " + VERIFIED);
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

    /** A test run's input in a failure message: its context's size, or its packet's size and kind. */
    private static String describe(TestRun run) {
        return run.data().length == 0 ? run.context().length + "-byte context"
                : run.data().length + "-byte packet " + describe(run.data());
    }

    private static String describe(byte[] data) {
        return data.length == 64 ? "(zeroes)" : data.length == 14 ? "(bytes 0..13)" : "(IPv4/UDP)";
    }
}
