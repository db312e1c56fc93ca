package org.ebpf4j.verifier.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;
import org.junit.jupiter.api.Test;

/**
 * The per-instruction access facts an accepted verdict carries: the pointer kind of every load, store and atomic
 * operation joined over the walked paths, the frame offset of stack accesses, and nothing for other slots.
 */
class AccessFactsTest {
    private static final VerifierOptions XDP = new VerifierOptions(ProgramType.XDP.value(), 0, 0, true);
    private static final MapSpec ARRAY = new MapSpec("array", MapType.ARRAY, 4, 16, 1, 0, MapPinning.NONE, 0, 0,
            Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.LEGACY);
    /** r2 = data, r3 = data_end, r4 = data + 8: slots 0-3. */
    private static final String PACKET = "r2 = *(u32 *)(r1 + 0x0)\nr3 = *(u32 *)(r1 + 0x4)\nr4 = r2\nr4 += 0x8\n";

    private static AccessFacts facts(String text) {
        return facts(Assembler.assemble(text + "\nr0 = 0\nexit\n").encode(), XDP);
    }

    private static AccessFacts facts(byte[] code, VerifierOptions options) {
        Verdict verdict = Verifier.verify(code, options);
        return assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log()).facts();
    }

    @Test
    void stackAccessesKnowTheirFrameOffset() {
        AccessFacts facts = facts("*(u64 *)(r10 - 0x8) = 0x1\nr2 = r10\nr2 += -0x10\n*(u32 *)(r2 + 0x4) = 0x2\n"
                + "r0 = *(u8 *)(r2 + 0x5)");
        assertEquals(AccessFact.stack(-8), facts.at(0));
        assertEquals(AccessFact.NONE, facts.at(1), "a move is no memory access");
        assertEquals(AccessFact.stack(-12), facts.at(3));
        assertEquals(AccessFact.stack(-11), facts.at(4));
        assertTrue(facts.at(4).direct());
        assertEquals(7, facts.slotCount());
    }

    @Test
    void contextAndPacketAccessesAreTold() {
        AccessFacts facts = facts(PACKET + "if r4 > r3 goto +0x2\nr0 = *(u32 *)(r2 + 0x4)\n*(u8 *)(r2 + 0x0) = 0x1");
        assertEquals(AccessFact.of(PointerKind.CONTEXT), facts.at(0));
        assertEquals(AccessFact.of(PointerKind.CONTEXT), facts.at(1));
        assertEquals(AccessFact.of(PointerKind.PACKET), facts.at(5));
        assertEquals(AccessFact.of(PointerKind.PACKET), facts.at(6));
        assertTrue(facts.at(5).direct() && facts.at(5).inBounds());
    }

    @Test
    void packetMetadataIsPacketMemory() {
        AccessFacts facts = facts(PACKET + "r5 = *(u32 *)(r1 + 0x8)\nr6 = r5\nr6 += 0x4\nif r6 > r2 goto +0x1\n"
                + "r0 = *(u32 *)(r5 + 0x0)");
        assertEquals(AccessFact.of(PointerKind.PACKET), facts.at(8));
    }

    @Test
    void unreachedAccessesHaveNoFacts() {
        AccessFacts facts = facts("r0 = 0x0\nif r0 == 0x0 goto +0x1\nr0 = *(u64 *)(r10 - 0x8)");
        assertEquals(AccessFact.NONE, facts.at(2), "the branch is never taken into the load");
        assertFalse(facts.at(2).inBounds());
    }

    @Test
    void twoStackOffsetsOnTwoPathsLeaveTheOffsetToTheRegister() {
        // r2 is fp-8 on one path and fp-16 on the other; the store after the join reaches both.
        AccessFacts facts = facts("r2 = r10\nr2 += -0x8\nr0 = *(u32 *)(r1 + 0xc)\nif r0 == 0x0 goto +0x1\n"
                + "r2 += -0x8\n*(u64 *)(r2 + 0x0) = 0x0");
        assertEquals(new AccessFact(PointerKind.STACK, false, 0, true), facts.at(5));
        assertTrue(facts.at(5).direct());
    }

    @Test
    void stackOnOnePathAndPacketOnAnotherIsMixed() {
        AccessFacts facts = facts(PACKET + "if r4 > r3 goto +0x6\nr5 = *(u32 *)(r1 + 0xc)\nr6 = r10\nr6 += -0x8\n"
                + "if r5 == 0x0 goto +0x1\nr6 = r2\n*(u8 *)(r6 + 0x0) = 0x1");
        assertEquals(new AccessFact(PointerKind.MIXED, false, 0, true), facts.at(10));
        assertFalse(facts.at(10).direct());
    }

    @Test
    void mapValuesAndAtomicsAreRecorded() {
        byte[] prefix = new ProgramBuilder().lddwPseudo(Register.R1, Opcode.PSEUDO_MAP_VALUE, 0).build().encode();
        byte[] body = Assembler.assemble("r2 = *(u64 *)(r1 + 0x8)\n*(u64 *)(r10 - 0x8) = 0x0\n"
                + "r3 = 0x1\nlock *(u64 *)(r10 - 0x8) += r3\nlock *(u64 *)(r1 + 0x0) += r3\nr0 = 0\nexit\n").encode();
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.writeBytes(prefix);
        code.writeBytes(body);
        AccessFacts facts = facts(code.toByteArray(), XDP.withMaps(List.of(ARRAY)));
        assertEquals(AccessFact.of(PointerKind.MAP_VALUE), facts.at(2));
        assertFalse(facts.at(2).direct(), "map values go through the region table");
        assertEquals(AccessFact.stack(-8), facts.at(3));
        assertEquals(AccessFact.stack(-8), facts.at(5));
        assertEquals(AccessFact.of(PointerKind.MAP_VALUE), facts.at(6));
    }

    @Test
    void joinKeepsAgreementAndLosesDisagreement() {
        AccessFact stack = AccessFact.stack(-8);
        assertSame(stack, AccessFact.NONE.join(stack));
        assertSame(stack, stack.join(AccessFact.NONE));
        assertEquals(stack, stack.join(AccessFact.stack(-8)));
        assertEquals(AccessFact.of(PointerKind.STACK), stack.join(AccessFact.stack(-16)));
        assertEquals(PointerKind.MIXED, stack.join(AccessFact.of(PointerKind.OUTER_STACK)).kind());
        assertEquals(PointerKind.MIXED, AccessFact.of(PointerKind.CONTEXT).join(AccessFact.of(PointerKind.PACKET))
                .kind());
        assertFalse(AccessFact.of(PointerKind.OUTER_STACK).direct(), "a caller's frame is not the own frame");
        assertThrows(IllegalArgumentException.class, () -> new AccessFact(PointerKind.PACKET, true, -8, true));
    }

    @Test
    void verdictsWithoutFactsHaveNone() {
        Verdict.Accepted accepted = new Verdict.Accepted("log", 3);
        assertSame(AccessFacts.none(), accepted.facts());
        assertEquals(AccessFact.NONE, accepted.facts().at(0));
    }
}
