package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corpus} on a slice of shared/verifier-corpus (the whole corpus is the verifier module's test). */
class CorpusCommandTest {
    private static Path cases() {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        return corpus.get().resolve("cases");
    }

    private static Path slice(String object) {
        return cases().resolve("verifier_progs").resolve(object);
    }

    @Test
    void reportsAgreementAndEndsWithTheSummaryLine() {
        MainTest.Result r = MainTest.cli("", "corpus", slice("verifier_and.bpf.o").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("by program type:"), r.out());
        assertTrue(r.out().endsWith("3 agree, 0 disagree, 0 false accepts, 0 unsupported\n"), r.out());

        MainTest.Result json = MainTest.cli("", "corpus", "--json", slice("verifier_and.bpf.o").toString());
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().contains("\"summary\": \"3 agree, 0 disagree, 0 false accepts, 0 unsupported\""),
                json.out());
        assertTrue(json.out().contains("\"outcome\": \"accept_agree\""), json.out());
    }

    @Test
    void unprivilegedComparesWithTheSelftestsUnprivilegedExpectations() {
        MainTest.Result r = MainTest.cli("", "corpus", "--unprivileged", slice("verifier_unpriv.bpf.o").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("ebpf4j verifier, unprivileged, vs the selftests' unprivileged expectations"),
                r.out());
        assertTrue(r.out().endsWith("24 agree, 0 disagree, 0 false accepts, 0 unsupported\n"), r.out());
        MainTest.Result both = MainTest.cli("", "corpus", "--unprivileged", "--kernel",
                slice("verifier_unpriv.bpf.o").toString());
        assertEquals(Main.EXIT_FAILURE, both.status());
    }

    @Test
    void withKernelTheRunningKernelsVerdictsAreComparedWithTheRecordedOnes() {
        requireBpf();
        String slice = slice("verifier_and.bpf.o").toString();
        MainTest.Result r = MainTest.cli("", "corpus", "--kernel", slice);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("running kernel vs the recorded Linux 6.18 verdicts:\n"
                + "0 of 3 cases differ from the recorded verdicts in the running kernel\n"), r.out());
        assertTrue(r.out().endsWith("3 agree, 0 disagree, 0 false accepts, 0 unsupported\n"), r.out());
        assertFalse(MainTest.cli("", "corpus", slice).out().contains("running kernel"));

        MainTest.Result json = MainTest.cli("", "corpus", "--kernel", "--json", slice);
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().contains("\"running_kernel_differs\": 0"), json.out());
        // The slice holds two rejections and one acceptance; the running kernel's message is the recorded one.
        assertEquals(2, json.out().split("\"running_kernel\": \"reject\"", -1).length - 1, json.out());
        assertEquals(1, json.out().split("\"running_kernel\": \"accept\"", -1).length - 1, json.out());
        assertTrue(json.out().contains("\"running_kernel_message\": \"R0 max value is outside of the allowed"
                + " memory range\""), json.out());
    }

    @Test
    void aCaseWhoseBytesAreNoProgramIsCountedAsNotLoaded(@TempDir Path dir) throws IOException {
        requireBpf();
        // test_verifier/0345: an lddw whose second half is malformed, which the kernel rejects; the backend loads
        // programs, not bytes, so this case never reaches the running kernel.
        Path source = cases().resolve("test_verifier").resolve("0345");
        Path copy = Files.createDirectories(dir.resolve("cases").resolve("test_verifier").resolve("0345"));
        for (String file : new String[] {"case.json", "prog.bin"}) {
            Files.copy(source.resolve(file), copy.resolve(file));
        }
        MainTest.Result r = MainTest.cli("", "corpus", "--kernel", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("running kernel vs the recorded Linux 6.18 verdicts:\n0 of 0 cases differ from"
                + " the recorded verdicts in the running kernel (1 not loaded: ebpf4j cannot hand them to the"
                + " kernel)\n"), r.out());
        MainTest.Result json = MainTest.cli("", "corpus", "--kernel", "--json", dir.toString());
        assertTrue(json.out().contains("\"running_kernel\": \"not_loaded\""), json.out());
        assertTrue(json.out().contains("\"running_kernel_message\": \"insn 2: second half of lddw must have"
                + " opcode, registers and offset 0\""), json.out());
    }

    private static void requireBpf() {
        try {
            org.ebpf4j.linux.LinuxBackend.open();
        } catch (RuntimeException e) {
            abort(e.getMessage() + " (--kernel needs bpf(): run the tests as root)");
        }
    }

    @Test
    void aDirectoryWithoutCasesIsAClearError() {
        MainTest.Result r = MainTest.cli("", "corpus", Path.of("..", "fixtures", "obj").toString());
        assertEquals(Main.EXIT_FAILURE, r.status());
        assertTrue(r.err().contains("no case.json under"), r.err());
    }
}
