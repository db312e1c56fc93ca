package org.ebpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.Set;
import java.util.TreeSet;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.FieldMemory;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;
import org.ebpf4j.verifier.facts.AccessFact;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.verifier.facts.PointerKind;
import org.junit.jupiter.api.Test;

/**
 * The JIT's use of the verifier's access facts: which accesses become direct, and what happens when facts are
 * wrong (a verifier bug): the direct paths fall back to the generic one where they cannot serve an access, and
 * never reach memory outside the invocation's own arrays.
 */
class JitFactsTest {
    static final VerifierOptions XDP = new VerifierOptions(ProgramType.XDP.value(), 0, 0, true);

    /**
     * Stack spill and fill, context loads of data and data_end, a packet load and store after the bounds check:
     * returns 1 + the u32 at packet offset 4 and writes 7 to packet byte 0 when the packet holds 8 bytes, else 0.
     */
    static final String PARSER = """
            r2 = *(u32 *)(r1 + 0x0)
            r3 = *(u32 *)(r1 + 0x4)
            *(u64 *)(r10 - 0x8) = r2
            r4 = r2
            r4 += 0x8
            r0 = 0x0
            if r4 > r3 goto +0x4
            r5 = *(u64 *)(r10 - 0x8)
            r0 = *(u32 *)(r5 + 0x4)
            *(u8 *)(r5 + 0x0) = 0x7
            r0 += 0x1
            exit
            """;

    @Test
    void provenStackContextAndPacketAccessesAreDirect() {
        Instructions program = Assembler.assemble(PARSER);
        Verdict.Accepted verdict = assertInstanceOf(Verdict.Accepted.class, Verifier.verify(program, XDP));
        Set<String> calls = calls(Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE,
                new long[program.slotCount()], null, verdict.facts(), 3000, 50_000));
        assertEquals(Set.of("DirectAccess.loadContext", "DirectAccess.storeFrame", "DirectAccess.loadFrame",
                "DirectAccess.loadPacket", "DirectAccess.storePacket"), only(calls, "Access.", "JitRuntime.load",
                "JitRuntime.store"));
        // Unverified, only the accesses through r10 are known: the stack's.
        Set<String> unverified = calls(Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE,
                new long[program.slotCount()], null));
        assertEquals(Set.of("DirectAccess.storeFrame", "DirectAccess.loadFrame", "JitRuntime.load",
                "JitRuntime.store"), only(unverified, "Access.", "JitRuntime.load", "JitRuntime.store"));
    }

    /**
     * Without facts, a load or store through r10 (which nothing writes) at an offset that keeps its bytes inside the
     * 512-byte frame is direct, at both ends of the frame; one that leaves the frame, by a byte or a whole frame,
     * takes the generic path and faults as on the interpreter.
     */
    @Test
    void frameAccessesAreDirectWithoutFacts() {
        Instructions inside = Assembler.assemble("""
                *(u64 *)(r10 - 0x200) = 0x2a
                r1 = 0x7
                *(u8 *)(r10 - 0x1) = r1
                r0 = *(u64 *)(r10 - 0x200)
                r1 = *(s8 *)(r10 - 0x1)
                r0 += r1
                exit
                """);
        assertEquals(Set.of("DirectAccess.loadFrame", "DirectAccess.storeFrame"), only(calls(Jit.generate(inside,
                HelperRegistry.empty(), Long.MAX_VALUE, new long[inside.slotCount()], null)), "Access.",
                "JitRuntime.load", "JitRuntime.store"));
        assertEquals("r0 = 49", run(Engine.JIT, inside, AccessFacts.none()));
        assertEquals("r0 = 49", run(Engine.INTERPRETER, inside, AccessFacts.none()));
        // Slots, not instructions: after lddws (two slots each), the last accesses are still found.
        Instructions afterLddw = Assembler.assemble("""
                r1 = 0x1122334455667788 ll
                r2 = 0x2 ll
                r3 = 0x3 ll
                *(u64 *)(r10 - 0x8) = r1
                r0 = *(u64 *)(r10 - 0x8)
                exit
                """);
        assertEquals(Set.of("DirectAccess.loadFrame", "DirectAccess.storeFrame"), only(calls(Jit.generate(afterLddw,
                HelperRegistry.empty(), Long.MAX_VALUE, JitSplitTest.lddwValues(afterLddw), null)), "Access.",
                "JitRuntime.load", "JitRuntime.store"));
        for (String outside : new String[] {"r0 = *(u64 *)(r10 - 0x4)", "r0 = *(u8 *)(r10 + 0x0)",
                "r0 = *(u16 *)(r10 - 0x201)", "*(u32 *)(r10 + 0x200) = 0x1"}) {
            Instructions program = Assembler.assemble(outside + "\nr0 = 0x0\nexit\n");
            Set<String> calls = only(calls(Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE,
                    new long[program.slotCount()], null)), "Access.", "JitRuntime.load", "JitRuntime.store");
            assertTrue(calls.stream().noneMatch(call -> call.startsWith("DirectAccess.")), outside + ": " + calls);
            String expected = run(Engine.INTERPRETER, program, AccessFacts.none());
            assertTrue(expected.startsWith("fault: insn 0: "), outside + ": " + expected);
            assertEquals(expected, run(Engine.JIT, program, AccessFacts.none()), outside);
        }
    }

    /**
     * Split subprograms: each chunk method with direct stack accesses computes r10's index on entry, at the depth of
     * its subprogram's call (main, f and g call each other). Facts hold by construction, as in the fuzz test.
     */
    @Test
    void splitProgramsWithFactsAgreeWithTheInterpreter() {
        var random = new java.util.Random(11);
        for (int n = 0; n < 8; n++) {
            Instructions program = LargePrograms.generate(3_000 + random.nextInt(3_000), 100 + n);
            AccessFacts facts = DifferentialFuzzTest.factsByConstruction(program);
            var generated = Jit.generate(program, HelperRegistry.empty(), 1_000_000,
                    JitSplitTest.lddwValues(program), null, facts, 400, 50_000);
            assertTrue(JitSplitTest.chunkMethods(generated) > 4);
            assertTrue(calls(generated).contains("DirectAccess.loadFrame"));
            var jit = new JitProgram(generated.define(), program, HelperRegistry.empty(), 1_000_000);
            var interpreter = Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), 1_000_000);
            byte[] input = new byte[DifferentialFuzzTest.INPUT_BYTES];
            random.nextBytes(input);
            assertEquals(withInput(interpreter, input), withInput(jit, input), "program " + n);
        }
    }

    /** r0 or the fault, and the 64 input bytes as the program left them. */
    private static String withInput(org.ebpf4j.runtime.Executable executable, byte[] input) {
        var invocation = new Invocation();
        byte[] memory = input.clone();
        long r1 = invocation.map(Region.of("input", memory));
        try {
            return "r0 = " + executable.run(invocation, r1, 0, 0, 0, 0) + ", " + java.util.Arrays.toString(memory);
        } catch (ProgramFault e) {
            return "fault: " + e.getMessage() + ", " + java.util.Arrays.toString(memory);
        }
    }

    /** Facts that claim the context or the packet for memory of another kind: the generic path decides. */
    @Test
    void wrongContextAndPacketFactsFallBackToTheGenericPath() {
        Instructions program = Assembler.assemble("r0 = *(u32 *)(r1 + 0x4)\n*(u32 *)(r1 + 0x0) = 0x1\nexit\n");
        for (PointerKind claimed : new PointerKind[] {PointerKind.CONTEXT, PointerKind.PACKET}) {
            AccessFacts facts = facts(program.slotCount(), AccessFact.of(claimed), AccessFact.of(claimed));
            // An array region is no context: loads and stores take the generic path.
            // A read-only region claimed as packet: the load is direct, the store faults as the interpreter's.
            String expected = run(Engine.INTERPRETER, program, AccessFacts.none());
            assertEquals(expected, run(Engine.JIT, program, facts), claimed.name());
            assertTrue(expected.startsWith("fault: insn 1: write of 4 bytes"), expected);
        }
    }

    /**
     * A context fact for a computed region whose memory is not a {@code ContextMemory} (no backend maps one today):
     * the direct path caches only the runtime's own contexts, so the region's own computation answers.
     */
    @Test
    void aComputedRegionOfAnotherKindIsServedByTheGenericPath() {
        Instructions program = Assembler.assemble("r0 = *(u32 *)(r1 + 0x4)\nexit\n");
        FieldMemory tens = new FieldMemory() {
            @Override
            public long load(int offset, int size) {
                return offset * 10L + size;
            }

            @Override
            public void store(int offset, int size, long value) {
                throw new MemoryAccessException("read only");
            }
        };
        AccessFacts facts = facts(program.slotCount(), AccessFact.of(PointerKind.CONTEXT));
        for (Engine engine : new Engine[] {Engine.INTERPRETER, Engine.JIT}) {
            var executable = engine.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE, null, false,
                    engine == Engine.JIT ? facts : AccessFacts.none());
            var invocation = new Invocation();
            long r1 = invocation.map(Region.computed("tens", tens, 8));
            assertEquals(44, executable.run(invocation, r1, 0, 0, 0, 0), engine.name());
        }
    }

    /**
     * A packet fact wrong about the bounds of a byte access: the index wraps around the packet's array (whose length
     * is a power of two), a wrong answer from the packet's own bytes, never a byte outside them or a JVM exception.
     */
    @Test
    void aWrongPacketFactForAByteReadsThePacketOnly() {
        Instructions program = Assembler.assemble("r0 = *(u8 *)(r1 + 0x9)\nexit\n");
        AccessFacts facts = facts(program.slotCount(), AccessFact.of(PointerKind.PACKET));
        assertTrue(run(Engine.INTERPRETER, program, AccessFacts.none()).startsWith("fault: insn 0: read of 1 byte"));
        assertEquals("r0 = 2", run(Engine.JIT, program, facts), "byte 9 of 8 is byte 1");
    }

    /**
     * A stack fact for an access that reads another region: the JIT reads the stack slot the fact names (a wrong
     * answer, as a verifier bug may give), never anything outside the invocation's stack, and never a JVM exception.
     */
    @Test
    void aWrongStackFactReadsTheStackOnly() {
        Instructions program = Assembler.assemble("*(u64 *)(r10 - 0x8) = 0x2a\nr0 = *(u64 *)(r1 + 0x0)\nexit\n");
        AccessFacts facts = facts(program.slotCount(), AccessFact.stack(-8), AccessFact.stack(-8));
        assertEquals("r0 = 42", run(Engine.JIT, program, facts));
        AccessFacts outside = facts(program.slotCount(), AccessFact.stack(-8), AccessFact.stack(-4096));
        assertEquals(run(Engine.INTERPRETER, program, AccessFacts.none()), run(Engine.JIT, program, outside),
                "an index outside the stack array falls back to the generic path");
    }

    private static AccessFacts facts(int slots, AccessFact... first) {
        var recorder = new AccessFacts.Recorder(slots);
        for (int slot = 0; slot < first.length; slot++) {
            recorder.record(slot, first[slot]);
        }
        return recorder.build();
    }

    /** Runs with r1 pointing at 8 read-only bytes 01 02 03 04 05 06 07 08. */
    private static String run(Engine engine, Instructions program, AccessFacts facts) {
        var executable = engine.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE, null, false, facts);
        var invocation = new Invocation();
        long r1 = invocation.map(Region.readOnly("input", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        try {
            return "r0 = " + executable.run(invocation, r1, 0, 0, 0, 0);
        } catch (ProgramFault e) {
            return "fault: " + e.getMessage();
        }
    }

    private static Set<String> only(Set<String> calls, String... fragments) {
        Set<String> kept = new TreeSet<>();
        for (String call : calls) {
            for (String fragment : fragments) {
                if (call.contains(fragment)) {
                    kept.add(call);
                }
            }
        }
        return kept;
    }

    /** Every static method the generated classes call, as {@code Owner.name}. */
    private static Set<String> calls(GeneratedClasses generated) {
        Set<String> calls = new TreeSet<>();
        for (byte[] file : generated.classFiles()) {
            for (MethodModel method : ClassFile.of().parse(file).methods()) {
                method.code().ifPresent(code -> {
                    for (CodeElement element : code) {
                        if (element instanceof InvokeInstruction invoke) {
                            String owner = invoke.owner().asSymbol().displayName();
                            calls.add(owner + "." + invoke.name().stringValue());
                        }
                    }
                });
            }
        }
        return calls;
    }
}
