package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.linux.LinuxBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} on the clang fixtures: ebpf4j's verdicts, and with {@code --kernel} the running kernel's, which is
 * the ground truth for what ebpf4j accepts and for its "unsupported feature" marking (the kernel accepts those).
 */
class VerifyCommandTest {
    private static final Path OBJ = Path.of("..", "fixtures", "obj");
    private static final String ACCEPTED = ": accepted \\(processed \\d+ insns\\)";
    /** Objects whose every program both verifiers accept; btf_maps has prog-array slots naming its programs. */
    private static final List<String> ACCEPTED_OBJECTS = List.of("globals.v3.o", "layouts.v3.o", "btf_maps.v3.o",
            "subprogs.v3.o");

    @TempDir
    Path dir;

    private static String object(String name) {
        return OBJ.resolve(name).toString();
    }

    private static List<String> programs(String object) throws IOException {
        return List.copyOf(ObjectLoader.load(OBJ.resolve(object)).programs().keySet());
    }

    private static void requireBpf() {
        try {
            LinuxBackend.open();
        } catch (RuntimeException e) {
            abort(e.getMessage() + " (--kernel needs bpf(): run the tests as root)");
        }
    }

    @Test
    void everyProgramOfAnAcceptedObjectIsAcceptedWithItsCount() throws IOException {
        for (String object : ACCEPTED_OBJECTS) {
            MainTest.Result r = MainTest.cli("", "verify", object(object));
            assertEquals(0, r.status(), object + ": " + r.out() + r.err());
            List<String> lines = r.out().lines().toList();
            List<String> names = programs(object);
            assertEquals(names.size(), lines.size(), r.out());
            for (int i = 0; i < names.size(); i++) {
                assertTrue(lines.get(i).matches(names.get(i) + ACCEPTED), lines.get(i));
            }
        }
    }

    @Test
    void theLogPrecedesEachVerdictAtLogLevelOne() {
        // Accepted: ebpf4j's log is the kernel's statistics line.
        MainTest.Result accepted = MainTest.cli("", "verify", "--log-level", "1", object("layouts.v3.o"));
        assertEquals(0, accepted.status(), accepted.err());
        assertTrue(accepted.out().matches("processed (\\d+) insns \\(limit 1000000\\) .*\nrecord: accepted "
                + "\\(processed \\1 insns\\)\n"), accepted.out());
        // Rejected: the path walked from the entry, with the states after each instruction, up to the rejection.
        MainTest.Result rejected = MainTest.cli("", "verify", "--log-level", "1", "--program", "formats",
                object("string_helpers.v3.o"));
        assertEquals(Main.EXIT_FAILURE, rejected.status(), rejected.err());
        List<String> lines = rejected.out().lines().toList();
        assertEquals("0: R1=ctx() R10=fp0", lines.get(0), rejected.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("; .* @ string_helpers\\.c:\\d+")), rejected.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d+: \\(..\\) .* +; R.*")), rejected.out());
        assertEquals("47: (85) call bpf_snprintf#165", lines.get(lines.size() - 4), rejected.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("formats: rejected at insn 47 "), rejected.out());
    }

    @Test
    void unsupportedFeaturesAreRejectedAsSuchNotAsARule() {
        MainTest.Result r = MainTest.cli("", "verify", object("string_helpers.v3.o"));
        assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
        assertEquals("", r.err());
        String out = r.out();
        assertTrue(out.lines().anyMatch(l -> l.matches("formats: rejected at insn \\d+ \\(unsupported feature\\):"
                + " format checks of bpf_snprintf not supported yet by ebpf4j's verifier")), out);
        // A rejection of one program does not hide its siblings' verdicts.
        for (String program : List.of("printk_rules", "strings", "probes")) {
            assertTrue(out.lines().anyMatch(l -> l.matches(program + ACCEPTED)), out);
        }

        MainTest.Result one = MainTest.cli("", "verify", "--program", "formats", "--json",
                object("string_helpers.v3.o"));
        assertEquals(Main.EXIT_FAILURE, one.status());
        assertTrue(one.out().contains("\"program\": \"formats\""), one.out());
        assertTrue(one.out().contains("\"unsupported\": true"), one.out());
        assertFalse(one.out().contains("printk_rules"), one.out());
    }

    @Test
    void badInputIsOneLine() throws IOException {
        MainTest.Result missing = MainTest.cli("", "verify", "--program", "nope", object("subprogs.v3.o"));
        assertEquals(Main.EXIT_FAILURE, missing.status());
        assertEquals("ebpf4j: no program 'nope' in " + object("subprogs.v3.o")
                + "; it has [first, second, third, sock_one, sock_two]\n", missing.err());

        Path junk = Files.write(dir.resolve("junk.o"), new byte[] {1, 2, 3});
        MainTest.Result notElf = MainTest.cli("", "verify", junk.toString());
        assertEquals(Main.EXIT_FAILURE, notElf.status());
        assertEquals(1, notElf.err().lines().count(), notElf.err());
        assertTrue(notElf.err().startsWith("ebpf4j: "), notElf.err());

        MainTest.Result level = MainTest.cli("", "verify", "--log-level", "3", object("globals.v3.o"));
        assertEquals("ebpf4j: --log-level must be 0, 1 or 2, not 3\n", level.err());
    }

    @Test
    void theRunningKernelAcceptsWhatEbpf4jAccepts() throws IOException {
        requireBpf();
        for (String object : ACCEPTED_OBJECTS) {
            MainTest.Result r = MainTest.cli("", "verify", "--kernel", object(object));
            assertEquals(0, r.status(), object + ": " + r.out() + r.err());
            List<String> lines = r.out().lines().toList();
            List<String> names = programs(object);
            assertEquals(names.size(), lines.size(), r.out());
            for (int i = 0; i < names.size(); i++) {
                assertTrue(lines.get(i).matches(names.get(i) + ACCEPTED), lines.get(i));
            }
        }
        MainTest.Result json = MainTest.cli("", "verify", "--kernel", "--json", "--log-level", "2",
                object("layouts.v3.o"));
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().contains("\"verifier\": \"linux\""), json.out());
        assertTrue(json.out().contains("\"log\": \""), json.out());
    }

    @Test
    void theRunningKernelAcceptsWhatEbpf4jRefusesAsUnsupported() {
        requireBpf();
        MainTest.Result r = MainTest.cli("", "verify", "--kernel", object("subprogs.v3.o"));
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals(5, r.out().lines().filter(l -> l.matches("\\w+" + ACCEPTED)).count(), r.out());
    }

    @Test
    void unprivilegedVerificationRefusesProgramTypesThatNeedCapBpf() {
        MainTest.Result r = MainTest.cli("", "verify", "--unprivileged", object("legacy_maps.v3.o"));
        assertEquals(Main.EXIT_FAILURE, r.status(), r.out() + r.err());
        assertEquals(List.of("count_packets: accepted (processed 22 insns)",
                "count_connects: rejected: program type BPF_PROG_TYPE_KPROBE needs CAP_BPF; unprivileged loaders may "
                        + "load socket_filter and cgroup_skb programs only (EPERM)"), r.out().lines().toList());
        assertEquals(0, MainTest.cli("", "verify", object("legacy_maps.v3.o")).status());

        MainTest.Result both = MainTest.cli("", "verify", "--unprivileged", "--kernel", object("legacy_maps.v3.o"));
        assertEquals(Main.EXIT_FAILURE, both.status());
        assertTrue(both.err().startsWith("ebpf4j: --unprivileged applies to ebpf4j's verifier only"), both.err());
    }

    @Test
    void rawInstructionsTakeTheirTypeFromASectionNameAndGetTheKernelsVerdict() throws IOException {
        Path accepted = dir.resolve("reads_ctx.bin");
        // r2 = *(u32 *)(r1 + 0); r0 = XDP_PASS; exit
        Files.write(accepted, java.util.HexFormat.of().parseHex(
                "6112000000000000" + "b700000002000000" + "9500000000000000"));
        Path rejected = dir.resolve("reads_r2.bin");
        // r0 = r2; exit: r2 was never written
        Files.write(rejected, java.util.HexFormat.of().parseHex("bf20000000000000" + "9500000000000000"));

        MainTest.Result ok = MainTest.cli("", "verify", accepted.toString(), "--type", "xdp");
        assertEquals(new MainTest.Result(0, "reads_ctx: accepted (processed 3 insns)\n", ""), ok);
        MainTest.Result refused = MainTest.cli("", "verify", rejected.toString(), "--type", "xdp");
        assertEquals(Main.EXIT_FAILURE, refused.status(), refused.out() + refused.err());
        assertEquals("reads_r2: rejected at insn 0: R2 !read_ok\n", refused.out());

        requireBpf();
        assertEquals(ok, MainTest.cli("", "verify", "--kernel", accepted.toString(), "--type", "xdp"));
        MainTest.Result kernelRefused = MainTest.cli("", "verify", "--kernel", rejected.toString(), "--type", "xdp");
        assertEquals(refused.out().strip() + " (EACCES (13))\n", kernelRefused.out());
    }

    @Test
    void typeIsRequiredForRawInstructionsAndRefusedForObjects() throws IOException {
        Path raw = dir.resolve("exit.bin");
        Files.write(raw, java.util.HexFormat.of().parseHex("b7000000000000009500000000000000"));
        MainTest.Result none = MainTest.cli("", "verify", raw.toString());
        assertEquals(Main.EXIT_FAILURE, none.status());
        assertTrue(none.err().startsWith("ebpf4j: " + raw + " is not an ELF object: give its program type with "
                + "--type"), none.err());
        MainTest.Result unknown = MainTest.cli("", "verify", raw.toString(), "--type", "xdp/nope");
        assertEquals("ebpf4j: --type xdp/nope: not a program type libbpf knows as a SEC() name\n", unknown.err());
        MainTest.Result object = MainTest.cli("", "verify", object("globals.v3.o"), "--type", "xdp");
        assertTrue(object.err().startsWith("ebpf4j: --type is for raw instructions"), object.err());
    }
}
