package org.ebpf4j.runtime.interpreter;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.junit.jupiter.api.Test;

/** The interpreter borrows its register array from the invocation: a run allocates none, and starts from zeros. */
class InterpreterAllocationTest {
    @Test
    void runsOnOneInvocationAllocateNoRegisters() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        var program = Interpreter.load(new ProgramBuilder().mov64(R0, R1).alu64(AluOp.ADD, R0, 1).exit().build(),
                HelperRegistry.empty());
        var invocation = new Invocation();
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += program.run(invocation, i); // loads and compiles the path first
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sum += program.run(invocation, i);
        }
        long perRun = (threads.getCurrentThreadAllocatedBytes() - before) / 100_000;
        assertTrue(perRun < 16, perRun + " bytes per run (a register array is 144) " + sum);
    }

    /** A register the last run wrote must not leak into the next: uninitialised registers read as 0. */
    @Test
    void aBorrowedArrayStartsZeroed() {
        var writesR6 = Interpreter.load(new ProgramBuilder().mov64(R6, 42).mov64(R0, 0).exit().build(),
                HelperRegistry.empty());
        var readsR6 = Interpreter.load(new ProgramBuilder().mov64(R0, R6).exit().build(), HelperRegistry.empty());
        var invocation = new Invocation();
        writesR6.run(invocation, 0);
        assertEquals(0, readsR6.run(invocation, 0));
    }
}
