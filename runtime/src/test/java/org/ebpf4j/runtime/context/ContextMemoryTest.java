package org.ebpf4j.runtime.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.context.SkBuff;
import org.ebpf4j.spec.context.XdpMd;
import org.junit.jupiter.api.Test;

/** The ctx rewrite at run time, and the access rules the context region enforces in place of a verifier. */
class ContextMemoryTest {
    private final Invocation invocation = new Invocation();
    private final AddressSpace memory = invocation.memory();

    @Test
    void pointerFieldsReadAsTaggedPacketPointers() {
        long packet = invocation.map(Region.of("packet", new byte[64]));
        ContextMemory xdp = new ContextMemory(XdpMd.LAYOUT);
        xdp.setPacket(packet, packet, packet + 64);
        xdp.setU32("ingress_ifindex", 1);
        long ctx = invocation.map(xdp.region());
        assertEquals(packet, memory.load(ctx + XdpMd.DATA.offset(), 4));
        assertEquals(packet + 64, memory.load(ctx + XdpMd.DATA_END.offset(), 4));
        assertEquals(64, memory.load(ctx + 4, 4) - memory.load(ctx, 4), "data_end - data");
        assertEquals(Pointer.regionId(packet), Pointer.regionId(memory.load(ctx + XdpMd.DATA_META.offset(), 4)));
        assertEquals(1, memory.load(ctx + XdpMd.INGRESS_IFINDEX.offset(), 4));
    }

    @Test
    void whatTheKernelsVerifierWouldRejectFaults() {
        ContextMemory xdp = new ContextMemory(XdpMd.LAYOUT);
        long ctx = invocation.map(xdp.region());
        assertThrows(MemoryAccessException.class, () -> memory.load(ctx, 2), "narrow load of data");
        assertThrows(MemoryAccessException.class, () -> memory.load(ctx, 8), "load across data and data_end");
        assertThrows(MemoryAccessException.class, () -> memory.store(ctx + 12, 4, 7), "xdp_md is read-only");
        assertThrows(MemoryAccessException.class, () -> memory.load(ctx + 24, 4), "past the struct");
        assertThrows(MemoryAccessException.class, () -> memory.atomic(ctx + 12, 4,
                org.ebpf4j.isa.AtomicOp.ADD, 1), "atomics on the context");
    }

    @Test
    void fieldsFollowTheProgramTypesRules() {
        ContextMemory filter = new ContextMemory(SkBuff.SOCKET_FILTER);
        long ctx = invocation.map(filter.region());
        memory.store(ctx + 48, 4, 9);
        assertEquals(9, memory.load(ctx + 48, 4), "cb is writable by socket filters");
        MemoryAccessException e = assertThrows(MemoryAccessException.class, () -> memory.store(ctx + 8, 4, 1));
        assertTrue(e.getMessage().contains("mark"), e.getMessage());
        assertThrows(MemoryAccessException.class, () -> memory.load(ctx + 76, 4), "no packet pointers");

        ContextMemory tc = new ContextMemory(SkBuff.TC);
        long tcCtx = invocation.map(tc.region());
        memory.store(tcCtx + 8, 4, 0x1234);
        assertEquals(0x1234, tc.u32("mark"));
        assertEquals(0x34, memory.load(tcCtx + 8, 1), "narrow reads of plain fields");
    }

    @Test
    void helpersCopyThroughTheRules() {
        ContextMemory tc = new ContextMemory(SkBuff.TC);
        tc.setU32("len", 0x0403_0201);
        long ctx = invocation.map(tc.region());
        byte[] len = new byte[4];
        memory.read(ctx, len, 0, 4);
        assertEquals(1, len[0]);
        assertEquals(4, len[3]);
    }
}
