package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.verifier.facts.AccessFact;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.verifier.facts.PointerKind;

/**
 * The stack accesses whose address the instruction alone fixes, verified or not: nothing writes r10 (the structural
 * check rejects it before any engine loads a program), so r10 is the frame pointer on every path, and a load or
 * store through r10 whose constant offset keeps all its bytes within the 512-byte frame reaches that frame at that
 * offset, exactly the bytes the region table would give. Such accesses compile as direct stack accesses even
 * without the verifier's facts: unverified programs (conformance vectors, {@code Engine.prepare} without facts)
 * spill and fill through r10 as much as verified ones, and each generic access is a region decode that C2 parses
 * and allocates registers for again at every site, which is most of what it spends on a loop-free program.
 */
final class FramePointerAccesses {
    private FramePointerAccesses() {}

    /** {@code proven}, with a fixed stack fact added for every frame-pointer access it has no fact about. */
    static AccessFacts added(Instructions program, AccessFacts proven) {
        AccessFacts.Recorder facts = null;
        for (int slot = 0; slot < program.slotCount(); slot += program.at(slot).slots()) {
            AccessFact fact = proven.at(slot);
            if (fact.kind() == PointerKind.NONE) {
                fact = of(program.at(slot));
            }
            if (fact.kind() != PointerKind.NONE) {
                if (facts == null) {
                    facts = new AccessFacts.Recorder(program.slotCount());
                }
                facts.record(slot, fact);
            }
        }
        return facts == null ? proven : facts.build();
    }

    /**
     * Whether a fact places an access of {@code size} bytes at a fixed offset within the frame, where its index
     * ({@link JitRun#frameTop} plus the offset) lies inside the stack array by construction, so that the access
     * needs neither the JVM's bounds check to catch a wrong fact nor a fallback to the region table.
     */
    static boolean withinFrame(AccessFact fact, int size) {
        return fact.direct() && fact.kind() == PointerKind.STACK && fact.fixedOffset()
                && inFrame(fact.stackOffset(), size);
    }

    private static boolean inFrame(int offset, int size) {
        return offset >= -Invocation.STACK_SIZE && offset + size <= 0;
    }

    /** The fact an instruction's own operands prove: a stack access at a fixed offset, or none. */
    static AccessFact of(Instruction insn) {
        int op = insn.opcode();
        boolean load = MemoryEmitter.isPlainLoad(op);
        int base = load ? insn.src() : insn.dst();
        if (!(load || MemoryEmitter.isPlainStore(op)) || base != 10 || !inFrame(insn.offset(), sizeBytes(op))) {
            return AccessFact.NONE;
        }
        return AccessFact.stack(insn.offset());
    }
}
