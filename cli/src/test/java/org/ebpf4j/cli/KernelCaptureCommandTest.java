package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code run FILE.o --pcap CAPTURE --kernel}: the example over the committed capture in the running kernel prints the
 * same report as on the JVM (action counts, refusals, every map), save the backend's name and the trace_printk lines,
 * which stay in the kernel.
 */
class KernelCaptureCommandTest {
    private static final String EXAMPLE = CaptureRunGroundTruthTest.EXAMPLE.toString();
    private static final String CAPTURE = CaptureRunGroundTruthTest.CAPTURE.toString();

    private static String skipReason;

    @BeforeAll
    static void probe() {
        try {
            LinuxBackend.open();
        } catch (BpfException | UnsupportedOperationException e) {
            skipReason = e.getMessage() + " (the kernel side needs bpf(): run as root)";
        }
    }

    private static MainTest.Result cli(String... args) {
        MainTest.Result r = MainTest.cli("", args);
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        return r;
    }

    @Test
    void theTextReportIsTheJvmsOnTheKernelBackend() {
        assumeTrue(skipReason == null, skipReason);
        String jvm = cli("run", EXAMPLE, "--pcap", CAPTURE).out();
        String kernel = cli("run", EXAMPLE, "--pcap", CAPTURE, "--kernel").out();
        String header = "xdp_stats (XDP) over " + CAPTURE + " (pcap, 3000 packets) on ";
        assertTrue(jvm.startsWith(header + "the jvm backend (interpreter)\n"), jvm);
        assertTrue(kernel.startsWith(header + "the kernel backend\n"), kernel);
        // Packets run and refused (with the first refusals' errno), and the action counts.
        assertEquals(between(jvm, "\n", "\ntrace_printk: "), between(kernel, "\n", "\ntrace_printk: "));
        assertTrue(jvm.contains("\ntrace_printk: " + CaptureRunGroundTruthTest.expected(
                CaptureRunGroundTruthTest.DROP_PORT).actions().get(CaptureRunGroundTruthTest.DROP) + " lines"), jvm);
        assertTrue(kernel.contains("\ntrace_printk: not collected on the kernel backend (the kernel writes them to"
                + " tracefs's trace_pipe, not to this process)\n\nMaps:\n"), kernel);
        // Hash maps iterate in a different order in the kernel.
        assertEquals(sortedLines(jvm.substring(jvm.indexOf("\nMaps:\n"))),
                sortedLines(kernel.substring(kernel.indexOf("\nMaps:\n"))));
    }

    @Test
    void kernelMayComeBeforeTheVerb() {
        assumeTrue(skipReason == null, skipReason);
        MainTest.Result after = cli("run", EXAMPLE, "--pcap", CAPTURE, "--kernel");
        MainTest.Result before = cli("--kernel", "run", EXAMPLE, "--pcap", CAPTURE);
        assertEquals(0, before.status(), before.err());
        // Hash maps iterate in a different order in each kernel map (a random seed per map).
        assertEquals(sortedLines(after.out()), sortedLines(before.out()));
    }

    @Test
    void theJsonReportIsTheJvmsWithASetGlobal() {
        assumeTrue(skipReason == null, skipReason);
        String jvm = cli("run", EXAMPLE, "--pcap", CAPTURE, "--json", "--set", "drop_port=53").out();
        String kernel = cli("run", EXAMPLE, "--pcap", CAPTURE, "--json", "--set", "drop_port=53", "--kernel").out();
        assertTrue(kernel.contains("\"backend\": \"the kernel backend\",\n"), kernel);
        assertEquals(between(jvm, "\"packets\": ", "\"trace\": "), between(kernel, "\"packets\": ", "\"trace\": "));
        var expected = CaptureRunGroundTruthTest.expected(53);
        assertTrue(kernel.contains("\"XDP_DROP\": " + expected.actions().get(CaptureRunGroundTruthTest.DROP) + ",\n"),
                kernel);
        assertTrue(kernel.contains("\"trace\": null,\n  \"trace_note\": \"not collected on the kernel backend"), kernel);
        assertEquals(sortedLines(jvm.substring(jvm.indexOf("\"maps\": "))),
                sortedLines(kernel.substring(kernel.indexOf("\"maps\": "))));
        assertTrue(kernel.contains("\"drop_port\": 53,"), kernel);
    }

    @Test
    void jvmOnlyOptionsAreRefused() {
        for (List<String> option : List.of(List.of("--unverified"), List.of("--engine", "jit"),
                List.of("--engine", "interpreter"))) {
            List<String> args = new java.util.ArrayList<>(List.of("run", EXAMPLE, "--pcap", CAPTURE, "--kernel"));
            args.addAll(option);
            MainTest.Result r = MainTest.cli("", args.toArray(String[]::new));
            assertEquals(Main.EXIT_FAILURE, r.status(), option.toString());
            assertEquals("ebpf4j: --unverified and --engine say how the JVM runs the program; with --kernel the"
                    + " kernel verifies and runs it\n", r.err());
            assertEquals("", r.out());
        }
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        return text.substring(start, text.indexOf(to, start));
    }

    private static List<String> sortedLines(String text) {
        return text.lines().sorted().toList();
    }
}
