package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.pcap.Capture;
import org.ebpf4j.pcap.CaptureWriter;
import org.ebpf4j.pcap.CapturedPacket;
import org.ebpf4j.pcap.traffic.PacketFacts;
import org.ebpf4j.pcap.traffic.PacketFacts.Cut;
import org.ebpf4j.pcap.traffic.TrafficGenerator;
import org.ebpf4j.pcap.traffic.TrafficGenerator.GeneratedPacket;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.backend.TestRunException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's main job checked three ways: the example XDP program over the committed capture gives the same
 * action counts and maps on the JVM (both engines) as in the Linux kernel, and as the counts computed here from
 * what the generator wrote (its {@link PacketFacts}) and what examples/xdp_stats.c says it does.
 */
class CaptureRunGroundTruthTest {
    static final Path EXAMPLE = Path.of("..", "examples", "xdp_stats.o");
    static final Path CAPTURE = Path.of("..", "examples", "traffic.pcap");
    /** How the committed capture was made: {@code bin/ebpf4j pcap generate examples/traffic.pcap}. */
    static final long SEED = 1;
    static final int PACKETS = 3000;
    static final int DROP_PORT = 23;

    // examples/xdp_stats.c's enum protocol.
    static final int OTHER_L2 = 0, ARP = 1, TCP = 2, UDP = 3, ICMP = 4, ICMPV6 = 5, OTHER_L4 = 6, MALFORMED = 7;
    static final long ABORTED = 0, DROP = 1, PASS = 2;

    private static Backend kernel;
    private static String skipReason;
    private static final List<GeneratedPacket> generated = new TrafficGenerator(SEED).generate(PACKETS);
    private static Capture capture;

    @BeforeAll
    static void setUp() throws IOException {
        capture = Capture.read(CAPTURE);
        try {
            kernel = LinuxBackend.open();
        } catch (BpfException | UnsupportedOperationException e) {
            skipReason = e.getMessage() + " (the kernel side needs bpf(): run as root)";
        }
    }

    /** What the example does with each packet, and what it counts, from the generator's facts alone. */
    record Expected(TreeMap<Long, Integer> actions, int refused, long[][] protocols, TreeMap<String, Long> sources) {}

    static Expected expected(int dropPort) {
        TreeMap<Long, Integer> actions = new TreeMap<>();
        long[][] protocols = new long[8][2];
        TreeMap<String, Long> sources = new TreeMap<>();
        int refused = 0;
        for (GeneratedPacket g : generated) {
            PacketFacts f = g.facts();
            int length = g.packet().data().length;
            if (f.cut() == Cut.ETHERNET_HEADER) {
                refused++; // BPF_PROG_TEST_RUN refuses frames shorter than an Ethernet header: EINVAL
                continue;
            }
            f.source().ifPresent(s -> sources.merge(HexFormat.of().formatHex(s), 1L, Long::sum));
            int protocol;
            long action = PASS;
            boolean ip = f.etherType() == 0x0800 || f.etherType() == 0x86dd;
            if (f.cut() != Cut.NONE) {
                protocol = MALFORMED;
                action = ABORTED;
            } else if (!ip) {
                protocol = f.etherType() == 0x0806 ? ARP : OTHER_L2;
            } else if (f.laterFragment()) {
                protocol = OTHER_L4;
            } else if (f.ipProtocol() == 6 || f.ipProtocol() == 17) {
                protocol = f.ipProtocol() == 6 ? TCP : UDP;
                action = f.destinationPort() == dropPort ? DROP : PASS;
            } else if (f.ipProtocol() == 1 && f.etherType() == 0x0800) {
                protocol = ICMP;
            } else if (f.ipProtocol() == 58 && f.etherType() == 0x86dd) {
                protocol = ICMPV6;
            } else {
                protocol = OTHER_L4;
            }
            actions.merge(action, 1, Integer::sum);
            protocols[protocol][0]++;
            protocols[protocol][1] += length;
        }
        return new Expected(actions, refused, protocols, sources);
    }

    /** What a backend gave: action counts, refusals, the protocols array and the sources map. */
    record Observed(TreeMap<Long, Integer> actions, int refused, long[][] protocols, TreeMap<String, Long> sources,
                    List<CaptureRun.TraceLine> trace) {}

    static Observed observe(CaptureRun.Result r, Collection loaded) {
        BpfMap protocolMap = loaded.map("protocols");
        long[][] protocols = new long[8][2];
        for (int i = 0; i < 8; i++) {
            ByteBuffer v = ByteBuffer.wrap(protocolMap.lookup(le32(i)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
            protocols[i][0] = v.getLong(0);
            protocols[i][1] = v.getLong(8);
        }
        BpfMap sourceMap = loaded.map("sources");
        TreeMap<String, Long> sources = new TreeMap<>();
        for (byte[] key : sourceMap.keys()) {
            sources.put(HexFormat.of().formatHex(key),
                    ByteBuffer.wrap(sourceMap.lookup(key).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong());
        }
        TreeMap<Long, Integer> actions = new TreeMap<>(r.returnValues());
        return new Observed(actions, r.refused().size(), protocols, sources, r.trace());
    }

    static void assertAgree(Expected e, Observed o, String who) {
        assertEquals(e.actions(), o.actions(), who + ": actions");
        assertEquals(e.refused(), o.refused(), who + ": refused packets");
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(e.protocols()[i], o.protocols()[i], who + ": protocols[" + i + "] {packets, bytes}");
        }
        assertEquals(e.sources(), o.sources(), who + ": sources");
    }

    static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static Observed runOnJvm(Engine engine, Map<String, String> globals) throws IOException {
        CaptureRun run = new CaptureRun(e -> e instanceof TestRunException t ? Optional.of(t.errno().name())
                : Optional.empty());
        CollectionSpec spec = GlobalVariables.set(ObjectLoader.load(EXAMPLE), GlobalDataLayout.of(EXAMPLE), globals);
        JvmBackend jvm = new JvmBackend().withEngine(engine).withTraceSink(run::trace);
        // The JVM backend has no verifier yet; the kernel's verifier accepts the same object (kernelAgrees).
        try (Collection loaded = jvm.load(spec, LoadOptions.defaults().unverified())) {
            return observe(run.run(loaded.program("xdp_stats"), capture.packets()), loaded);
        }
    }

    @Test
    void theCommittedCaptureIsTheGeneratorsOutput() throws IOException {
        List<CapturedPacket> packets = generated.stream().map(GeneratedPacket::packet).toList();
        assertArrayEquals(CaptureWriter.pcap(packets, false), Files.readAllBytes(CAPTURE),
                "regenerate it with: bin/ebpf4j pcap generate examples/traffic.pcap --packets " + PACKETS + " --seed "
                        + SEED);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theJvmCountsWhatTheGeneratorWrote(Engine engine) throws IOException {
        Expected e = expected(DROP_PORT);
        Observed o = runOnJvm(engine, Map.of());
        assertAgree(e, o, "jvm " + engine);
        // One trace_printk line per dropped packet, naming the port.
        assertEquals(e.actions().get(DROP).intValue(), o.trace().size());
        assertTrue(o.trace().stream().allMatch(t -> t.line().matches("xdp_stats: drop proto (6|17) dport 23")),
                o.trace().toString());
        // The mix exercises every branch of the example.
        for (int i = 0; i < 8; i++) {
            assertTrue(e.protocols()[i][0] > 0, "protocol " + i + " never seen");
        }
        assertTrue(e.refused() > 0);
    }

    @Test
    void aDropPortSetBeforeLoadingChangesWhatIsDropped() throws IOException {
        Expected e = expected(53);
        assertAgree(e, runOnJvm(Engine.INTERPRETER, Map.of("drop_port", "53")), "jvm, drop_port=53");
        assertNotEquals(expected(DROP_PORT).actions(), e.actions());
    }

    @Test
    void theKernelCountsTheSame() throws IOException {
        assumeTrue(kernel != null, skipReason);
        CaptureRun run = new CaptureRun(e -> e instanceof LinuxBpfException l
                ? Optional.of(Errno.of(l.errnoValue()).map(Enum::name).orElse("errno " + l.errnoValue()))
                : Optional.empty());
        try (Collection loaded = kernel.load(ObjectLoader.load(EXAMPLE), LoadOptions.defaults())) {
            Observed o = observe(run.run(loaded.program("xdp_stats"), capture.packets()), loaded);
            assertAgree(expected(DROP_PORT), o, "kernel");
            // The kernel's refusals are the JVM's: EINVAL for frames shorter than an Ethernet header.
            assertTrue(run.run(loaded.program("xdp_stats"), List.of(capture.packets().stream()
                    .filter(p -> p.data().length < 14).findFirst().orElseThrow())).refused().getFirst().reason()
                    .startsWith("EINVAL"));
        }
    }

    @Test
    void theKernelAndTheJvmDumpTheSameMaps() throws IOException {
        assumeTrue(kernel != null, skipReason);
        List<String> dumps = new ArrayList<>();
        CaptureRun onKernel = new CaptureRun(e -> Optional.of("refused"));
        try (Collection loaded = kernel.load(ObjectLoader.load(EXAMPLE), LoadOptions.defaults())) {
            onKernel.run(loaded.program("xdp_stats"), capture.packets());
            dumps.add(sortedDump(loaded));
        }
        CaptureRun onJvm = new CaptureRun(e -> Optional.of("refused"));
        try (Collection loaded = new JvmBackend().withTraceSink(onJvm::trace)
                .load(ObjectLoader.load(EXAMPLE), LoadOptions.defaults().unverified())) {
            onJvm.run(loaded.program("xdp_stats"), capture.packets());
            dumps.add(sortedDump(loaded));
        }
        assertEquals(dumps.get(0), dumps.get(1));
    }

    @Test
    void aSocketFilterRunsOverTheCaptureAsInTheKernel() throws IOException {
        // fixtures/src/legacy.c tests the EtherType at LD_ABS offset 12, but a socket filter's LD_ABS offsets start at
        // the network header (in the kernel as in the JVM), where no IPv4 or IPv6 header of this capture holds
        // 0x0800: every run returns 0. Socket buffers are stricter than XDP: an IPv4 or IPv6 frame without room for
        // its network header is EINVAL.
        Path filter = Path.of("..", "fixtures", "obj", "legacy.v3.o");
        int refused = (int) generated.stream().filter(g -> g.facts().cut() == Cut.ETHERNET_HEADER
                || g.facts().cut() == Cut.NETWORK_HEADER).count();
        TreeMap<Long, Integer> expected = new TreeMap<>(Map.of(0L, PACKETS - refused));
        for (Engine engine : Engine.values()) {
            CaptureRun run = new CaptureRun(e -> e instanceof TestRunException t ? Optional.of(t.errno().name())
                    : Optional.empty());
            try (Collection loaded = new JvmBackend().withEngine(engine).load(ObjectLoader.load(filter),
                    LoadOptions.defaults().unverified())) {
                CaptureRun.Result r = run.run(loaded.program("filter"), capture.packets());
                assertEquals(expected, new TreeMap<>(r.returnValues()), "jvm " + engine);
                assertEquals(refused, r.refused().size());
            }
        }
        assumeTrue(kernel != null, skipReason);
        try (Collection loaded = kernel.load(ObjectLoader.load(filter), LoadOptions.defaults())) {
            CaptureRun.Result r = new CaptureRun(e -> Optional.of("refused")).run(loaded.program("filter"),
                    capture.packets());
            assertEquals(expected, new TreeMap<>(r.returnValues()), "kernel");
            assertEquals(refused, r.refused().size());
        }
    }

    /** Every map's dump with its lines sorted: hash maps iterate in different orders in the kernel and the JVM. */
    private static String sortedDump(Collection loaded) {
        StringBuilder out = new StringBuilder();
        for (BpfMap map : loaded.maps().values()) {
            out.append(MapDump.text(map).lines().sorted().toList()).append('\n');
        }
        return out.toString();
    }
}
