package org.ebpf4j.runtime.backend;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The JVM backend verifies by default: proven programs run, the others are refused with the verifier's reason. */
class JvmVerificationTest {
    private final JvmBackend backend = new JvmBackend();

    @ParameterizedTest
    @CsvSource({"globals.v3.o, account", "layouts.v3.o, record", "bytes.v3.o, swap", "atomics.v4.o, count",
            "legacy_maps.v1.o, count_packets", "subprogs.v3.o, first", "subprogs.v3.o, third", "loops.v4.o, loops"})
    void provenProgramsRunAsTheyDoUnverified(String object, String program) {
        TestRun run = TestRun.of(Fixtures.packet(64));
        try (Collection verified = backend.load(Fixtures.load(object));
             Collection unverified = backend.load(Fixtures.load(object), LoadOptions.defaults().unverified())) {
            assertEquals(unverified.program(program).testRun(run).returnValue(),
                    verified.program(program).testRun(run).returnValue());
        }
    }

    @Test
    void whatTheVerifierCannotCheckYetIsRefusedNotRun() {
        VerifierException e = assertThrows(VerifierException.class,
                () -> backend.load(Fixtures.load("string_helpers.v3.o")));
        assertEquals("formats", e.program());
        assertTrue(e.getMessage().contains("format checks of bpf_snprintf"), e.getMessage());
        assertTrue(e.getMessage().contains("LoadOptions.unverified()"), e.getMessage());
    }

    @Test
    void brokenRulesAreRejectedWithTheKernelsMessageAndLog() {
        ProgramSpec readsUninitialised = program(new ProgramBuilder().mov64(R0, R2).exit());
        VerifierException e = assertThrows(VerifierException.class, () -> backend.load(collection(readsUninitialised)));
        assertEquals("program 'bad' rejected by the verifier: insn 0: R2 !read_ok", e.getMessage());
        assertTrue(e.log().contains("R2 !read_ok"), e.log());
        // Unverified, the same program runs: the option is the explicit way around the proof.
        try (Collection c = backend.load(collection(readsUninitialised), LoadOptions.defaults().unverified())) {
            c.program("bad").testRun(TestRun.of(Fixtures.packet(64)));
        }
    }

    @Test
    void theLogIsKeptAtTheLoadsLogLevel() {
        try (Collection quiet = backend.load(Fixtures.load("subprogs.v3.o"));
             Collection logged = backend.load(Fixtures.load("subprogs.v3.o"), LoadOptions.defaults().withLogLevel(1));
             Collection walked = backend.load(Fixtures.load("subprogs.v3.o"), LoadOptions.defaults().withLogLevel(2))) {
            assertEquals(Optional.empty(), quiet.program("first").verifierLog());
            // Level 1 on acceptance: the last global function verified, then the statistics, as the kernel logs
            // (whose max_states_per_insn is 0: it frees each function's states before walking the next).
            assertEquals("Func#2 ('upper') is safe for any args that match its prototype\nprocessed 55 insns (limit"
                    + " 1000000) max_states_per_insn 1 total_states 5 peak_states 5 mark_read 0\n",
                    logged.program("first").verifierLog().orElseThrow());
            String all = walked.program("first").verifierLog().orElseThrow();
            assertTrue(all.startsWith("0: R1=ctx() R10=fp0\n; return top(ctx->ingress_ifindex) & 3; @ subprogs.c:41\n"),
                    all);
            assertTrue(all.contains("Validating top() func#1...\n"), all);
        }
    }

    private static ProgramSpec program(ProgramBuilder b) {
        return new ProgramSpec("bad", "xdp", ProgramType.XDP, Optional.empty(), new AttachTarget.None(), 0, "GPL", 0,
                b.build(), List.of(), List.of(), List.of(), List.of());
    }

    private static CollectionSpec collection(ProgramSpec p) {
        return new CollectionSpec("bad", Map.of(p.name(), p), Map.of(), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }
}
