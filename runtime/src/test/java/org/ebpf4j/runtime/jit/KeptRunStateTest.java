package org.ebpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.context.XdpMd;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.junit.jupiter.api.Test;

/**
 * A compiled run from the first frame keeps the packet and context it resolved on the last run when nothing they
 * came from changed (the address space's regions, the invocation's packet pointer, r1), and resolves them again
 * when anything did, even behind the same pointer values: a stale cache would read the previous packet's bytes.
 */
class KeptRunStateTest {
    /** {@link JitFactsTest#PARSER}, verified: its context and packet accesses are direct. */
    private final Instructions program = Assembler.assemble(JitFactsTest.PARSER);
    private final Executable jit = Engine.JIT.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE, null, false,
            assertInstanceOf(Verdict.Accepted.class, Verifier.verify(program, JitFactsTest.XDP)).facts());

    @Test
    void aPacketMappedAgainBehindTheSamePointersIsReadAfresh() {
        var invocation = new Invocation();
        var context = new ContextMemory(XdpMd.LAYOUT);
        byte[] first = {0, 0, 0, 0, 41, 0, 0, 0};
        long r1 = mapInputs(invocation, context, first);
        for (int run = 0; run < 3; run++) {
            assertEquals(42, jit.run(invocation, r1, 0, 0, 0, 0), "run " + run + " on the first packet");
            invocation.repeat();
        }
        assertEquals(7, first[0]);

        byte[] second = {0, 0, 0, 0, 99, 0, 0, 0};
        invocation.reset();
        assertEquals(r1, mapInputs(invocation, context, second), "the same ids, the same pointers");
        for (int run = 0; run < 3; run++) {
            assertEquals(100, jit.run(invocation, r1, 0, 0, 0, 0), "run " + run + " on the second packet");
            invocation.repeat();
        }
        assertEquals(7, second[0]);
    }

    @Test
    void aPacketSwappedAtItsIdOrAnotherContextIsResolvedAgain() {
        var invocation = new Invocation();
        var context = new ContextMemory(XdpMd.LAYOUT);
        long r1 = mapInputs(invocation, context, new byte[] {0, 0, 0, 0, 1, 0, 0, 0});
        // Twice: the first run makes the invocation's state, the second keeps what it resolved.
        assertEquals(2, jit.run(invocation, r1, 0, 0, 0, 0));
        assertEquals(2, jit.run(invocation, r1, 0, 0, 0, 0));
        // Another region at the packet's id, every pointer unchanged: only the address space's generation tells.
        long packet = invocation.packet();
        byte[] swapped = {0, 0, 0, 0, 5, 0, 0, 0};
        invocation.memory().mapAt(org.ebpf4j.runtime.memory.Pointer.regionId(packet),
                Region.of("swapped packet", swapped));
        assertEquals(6, jit.run(invocation, r1, 0, 0, 0, 0));
        assertEquals(7, swapped[0]);
        // Another context (its own packet bounds) at a new id.
        var other = new ContextMemory(XdpMd.LAYOUT);
        other.setPacket(packet, packet, packet + 4);
        long otherR1 = invocation.map(other.region());
        assertEquals(0, jit.run(invocation, otherR1, 0, 0, 0, 0), "4 bytes: the bounds check fails");
        assertEquals(6, jit.run(invocation, r1, 0, 0, 0, 0));
    }

    /** Maps the packet and then the context and keeps them for repeats, as a test run does; returns r1. */
    private static long mapInputs(Invocation invocation, ContextMemory context, byte[] packet) {
        long data = invocation.map(Region.of("packet", packet));
        context.setPacket(data, data, data + packet.length);
        invocation.setPacket(data);
        long r1 = invocation.map(context.region());
        invocation.keepInputs();
        return r1;
    }
}
