package org.ebpf4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.isa.BpfException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.openjdk.jmh.annotations.Param;

/**
 * The benchmark suite measures the same computation everywhere: each program gives the same return value and the
 * same packet out on the interpreter, on the JIT and, where {@code bpf()} is permitted, in the kernel.
 */
class SuiteAgreementTest {
    private static final List<String> PROGRAMS = SuitePrograms.NAMES;
    private static Backend kernel;
    private static String skipReason;

    @BeforeAll
    static void openKernel() {
        try {
            kernel = SuiteTarget.KERNEL.open();
        } catch (BpfException | UnsupportedOperationException e) {
            skipReason = e.getMessage() + " (the kernel side needs bpf(): run as root)";
        }
    }

    private static TestRunResult runOn(SuiteTarget target, Backend backend, String program) {
        try (Collection c = backend.load(SuitePrograms.load(program), target.options())) {
            return c.program(program).testRun(TestRun.of(BenchPacket.udpFrame()));
        }
    }

    @ParameterizedTest
    @FieldSource("PROGRAMS")
    void interpreterAndJitAgree(String program) {
        TestRunResult interpreted = runOn(SuiteTarget.INTERPRETER, SuiteTarget.INTERPRETER.open(), program);
        TestRunResult compiled = runOn(SuiteTarget.JIT, SuiteTarget.JIT.open(), program);
        assertEquals(interpreted.returnValue(), compiled.returnValue(), program + ": return value");
        assertArrayEquals(interpreted.dataOut(), compiled.dataOut(), program + ": data out");
    }

    @ParameterizedTest
    @FieldSource("PROGRAMS")
    void jitAndKernelAgree(String program) {
        assumeTrue(kernel != null, skipReason);
        TestRunResult expected = runOn(SuiteTarget.KERNEL, kernel, program);
        TestRunResult compiled = runOn(SuiteTarget.JIT, SuiteTarget.JIT.open(), program);
        assertEquals(expected.returnValue(), compiled.returnValue(), program + ": return value");
        assertArrayEquals(expected.dataOut(), compiled.dataOut(), program + ": data out");
    }

    /** Every suite program passes ebpf4j's verifier, so the JIT compiles each with its access facts. */
    @ParameterizedTest
    @FieldSource("PROGRAMS")
    void ebpf4jVerifiesEveryProgram(String program) {
        Backend jvm = SuiteTarget.INTERPRETER.open();
        jvm.load(SuitePrograms.load(program), SuiteTarget.INTERPRETER.options()).close();
    }

    @Test
    void theBenchmarkRunsEverySuiteProgram() throws NoSuchFieldException {
        Param param = KernelComparisonBenchmark.class.getField("program").getAnnotation(Param.class);
        assertEquals(PROGRAMS, List.of(param.value()));
    }

    /** The packet the C sources' layout assumes (bench.h: PAYLOAD_OFF 42, PAYLOAD_LEN 982). */
    @Test
    void thePacketIsAnIpv4UdpFrameWithoutZeroPayloadBytes() {
        byte[] frame = BenchPacket.udpFrame();
        assertEquals(1024, frame.length);
        assertEquals(0x0800, (frame[12] & 0xff) << 8 | frame[13] & 0xff);
        assertEquals(17, frame[23]);
        for (int i = BenchPacket.PAYLOAD_OFFSET; i < frame.length; i++) {
            assertTrue(frame[i] != 0, "payload byte " + i);
        }
        for (int i = 0; i < 256; i++) {
            assertEquals(frame[BenchPacket.PAYLOAD_OFFSET + i], frame[BenchPacket.PAYLOAD_OFFSET + 256 + i]);
        }
    }
}
