package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ebpf4j.linux.LinuxBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ebpf4j's level-2 log against the running kernel's for fixture programs where the two walks prune alike (loaded
 * with PROG_LOAD only: {@code verify --kernel --log-level 2}). Compared exactly: the walk (each instruction's index,
 * opcode and text in order, but for the kernel's address of a map in a 64-bit load; the {@code from X to Y} of each
 * path taken from the stack; each {@code safe}), the source-line comments and where they come, the states printed
 * (in order, on an instruction's line or their own), and "processed N insns". Not compared: the kernel's lines
 * ebpf4j does not write (its liveness and precision tracking: {@code Live regs}, {@code mark_precise}, {@code (N) frame 0 insn}).
 * Left out: programs whose walks prune differently (ebpf4j has no liveness or precision marks, so it explores
 * more), and subprogs' {@code first}, where the kernel links {@code r6 += 1} to r6's old id ({@code
 * scalar(id=3+1)}, BPF_ADD_CONST), which ebpf4j does not model.
 */
class VerifierLogKernelTest {
    private static final Path OBJ = Path.of("..", "fixtures", "obj");
    private static final Pattern INSN = Pattern.compile("^(\\d+: \\([0-9a-f]{2}\\) .*?)(?: +;(?: (.*))?)?$");
    /** A 64-bit load of a kernel address: the map the kernel resolved a map reference to. */
    private static final Pattern KERNEL_ADDRESS = Pattern.compile("^(\\d+: \\(18\\) r\\d+ = )0xffff[0-9a-f]{12}$");
    private static final Pattern LDDW = Pattern.compile("^(\\d+: \\(18\\) r\\d+ = )0x[0-9a-f]+$");
    private static final Pattern STATE_LINE = Pattern.compile("^(\\d+): (R\\d.*|frame\\d.*)$");
    private static final Pattern FROM = Pattern.compile("^from (\\d+) to (\\d+)(: safe)?.*$");
    private static final Pattern SAFE = Pattern.compile("^(\\d+): safe$");
    private static final Pattern PROCESSED = Pattern.compile("^processed (\\d+) insns .*$");

    @BeforeAll
    static void requireBpf() {
        try {
            LinuxBackend.open();
        } catch (RuntimeException e) {
            abort(e.getMessage() + " (the kernel's log needs bpf(): run the tests as root)");
        }
    }

    static Stream<Arguments> programs() {
        return Stream.of(
                Arguments.of("subprogs.v3.o", "second"), Arguments.of("subprogs.v3.o", "third"),
                Arguments.of("subprogs.v3.o", "sock_one"), Arguments.of("maps.v3.o", "on_open"),
                Arguments.of("layouts.v3.o", "record"), Arguments.of("btf_maps.v3.o", "tail_second"),
                Arguments.of("callbacks.v3.o", "hop"), Arguments.of("callbacks.v3.o", "missing_direct"));
    }

    /** What both logs say of a walk, line by line, in their common notation. */
    record Walk(List<String> events, List<String> sourceLines, List<String> states, String processed) {}

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("programs")
    void theLevelTwoLogsAgree(String object, String program) {
        Walk kernel = walk(log("--kernel", object, program));
        Walk ours = walk(log(null, object, program));
        assertEquals(kernel.events(), withKernelAddresses(ours.events(), kernel.events()), "the walk");
        assertEquals(kernel.sourceLines(), ours.sourceLines(), "the source lines");
        assertEquals(kernel.states(), ours.states(), "the states");
        assertEquals(kernel.processed(), ours.processed(), "processed");
    }

    private static String log(String kernel, String object, String program) {
        List<String> args = new ArrayList<>();
        if (kernel != null) {
            args.add(kernel);
        }
        args.addAll(List.of("verify", "--log-level", "2", "--program", program, OBJ.resolve(object).toString()));
        MainTest.Result r = MainTest.cli("", args.toArray(String[]::new));
        assertEquals(0, r.status(), r.out() + r.err());
        return r.out();
    }

    /**
     * Our walk with the kernel's map addresses where both load a 64-bit immediate at the same place: ebpf4j prints
     * the program's own immediate for a map reference, having no kernel address to print.
     */
    private static List<String> withKernelAddresses(List<String> ours, List<String> kernel) {
        List<String> out = new ArrayList<>(ours);
        for (int i = 0; i < Math.min(ours.size(), kernel.size()); i++) {
            Matcher address = KERNEL_ADDRESS.matcher(kernel.get(i));
            Matcher lddw = LDDW.matcher(ours.get(i));
            if (address.matches() && lddw.matches() && address.group(1).equals(lddw.group(1))) {
                out.set(i, kernel.get(i));
            }
        }
        return out;
    }

    static Walk walk(String log) {
        List<String> events = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> states = new ArrayList<>();
        String processed = "";
        int insns = 0;
        for (String line : log.lines().toList()) {
            Matcher m;
            if ((m = INSN.matcher(line)).matches()) {
                events.add(m.group(1).strip());
                insns++;
                if (m.group(2) != null) {
                    states.add(m.group(2).strip());
                }
            } else if ((m = STATE_LINE.matcher(line)).matches()) {
                // The kernel moves a state to its own line when its precision tracking logged something first.
                states.add(m.group(2).strip());
            } else if ((m = FROM.matcher(line)).matches()) {
                events.add("from " + m.group(1) + " to " + m.group(2) + (m.group(3) != null ? " safe" : ""));
            } else if ((m = SAFE.matcher(line)).matches()) {
                events.add(m.group(1) + " safe");
            } else if (line.startsWith("; ")) {
                sources.add(insns + " " + line);
            } else if ((m = PROCESSED.matcher(line)).matches()) {
                processed = m.group(1);
            }
        }
        return new Walk(events, sources, states, processed);
    }
}
