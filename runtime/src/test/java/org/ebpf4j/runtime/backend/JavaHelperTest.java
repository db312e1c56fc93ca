package org.ebpf4j.runtime.backend;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.helper.ArgSpec;
import org.ebpf4j.spec.helper.ArgType;
import org.ebpf4j.spec.helper.HelperPrototype;
import org.ebpf4j.spec.helper.ReturnSpec;
import org.ebpf4j.spec.helper.ReturnType;
import org.ebpf4j.spec.helper.TypeFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Helpers of the application's own: the verifier checks calls to them against their prototype, so the Java code
 * receives only what the prototype promises, and both engines call them.
 */
class JavaHelperTest {
    private static final int SUM_BYTES = 1000;
    private static final HelperPrototype SUM_PROTOTYPE = HelperPrototype.custom(SUM_BYTES, "sum_bytes",
            ReturnSpec.of(ReturnType.INTEGER), ArgSpec.of(ArgType.PTR_TO_MEM, TypeFlag.MEM_RDONLY),
            ArgSpec.of(ArgType.CONST_SIZE));
    /** Adds up the bytes the program hands over, read through the invocation's memory like any helper's. */
    private static final Helper SUM = (context, r1, r2, r3, r4, r5) -> {
        long sum = 0;
        for (int i = 0; i < r2; i++) {
            sum += context.memory().load(r1 + i, 1);
        }
        return sum;
    };

    /** r0 = sum_bytes(fp - 8, size) over the bytes 1, 2, 3, 4 stored at fp - 8. */
    private static ProgramBuilder sumOfStackBytes(int size) {
        return new ProgramBuilder()
                .st(Size.W, R10, -8, 0x04030201)
                .mov64(R1, R10).alu64(AluOp.ADD, R1, -8)
                .mov64(R2, size)
                .call(SUM_BYTES)
                .exit();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void verifiedProgramsCallTheHelperOnBothEngines(Engine engine) {
        JvmBackend backend = new JvmBackend().withEngine(engine).withHelper(SUM_PROTOTYPE, SUM);
        try (Collection c = backend.load(collection(sumOfStackBytes(4)))) {
            assertEquals(10, c.program("prog").testRun(TestRun.of(new byte[64])).returnValue());
        }
    }

    @Test
    void theVerifierHoldsCallsToTheirPrototype() {
        JvmBackend backend = new JvmBackend().withHelper(SUM_PROTOTYPE, SUM);
        // Sixteen bytes from fp - 8: the helper would read past the top of the stack.
        VerifierException e = assertThrows(VerifierException.class, () -> backend.load(collection(
                sumOfStackBytes(16))));
        assertTrue(e.getMessage().endsWith("insn 4: invalid read from stack R1 off=-8 size=16"), e.getMessage());
        VerifierException unknown = assertThrows(VerifierException.class, () -> new JvmBackend().load(collection(
                sumOfStackBytes(4))));
        assertTrue(unknown.getMessage().endsWith("invalid func unknown#1000"), unknown.getMessage());
    }

    @Test
    void kernelHelperIdsAreNotTheApplications() {
        HelperPrototype ktime = new HelperPrototype(5, "bpf_ktime_get_ns", false, false, false,
                ReturnSpec.of(ReturnType.INTEGER), List.of());
        assertThrows(IllegalArgumentException.class, () -> new JvmBackend().withHelper(ktime, SUM));
    }

    private static CollectionSpec collection(ProgramBuilder b) {
        ProgramSpec p = new ProgramSpec("prog", "xdp", ProgramType.XDP, Optional.empty(), new AttachTarget.None(), 0,
                "GPL", 0, b.build(), List.of(), List.of(), List.of(), List.of());
        return new CollectionSpec("java_helpers", Map.of(p.name(), p), Map.of(), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }
}
