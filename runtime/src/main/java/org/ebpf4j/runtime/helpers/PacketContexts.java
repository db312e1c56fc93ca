package org.ebpf4j.runtime.helpers;

import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.context.XdpFrame;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;

/** How packet helpers find the context their first argument points to. */
final class PacketContexts {
    private PacketContexts() {}

    /** The context {@code ctx} points to; a fault (the kernel's verifier would refuse the call) when it is none. */
    static ContextMemory context(HelperContext c, long ctx, String helper) {
        Region region = c.memory().region(ctx);
        if (region != null && Pointer.offset(ctx) == 0 && region.fields() instanceof ContextMemory context) {
            return context;
        }
        throw new MemoryAccessException(helper + ": r1 (" + Pointer.format(ctx) + ") is not the program's context");
    }

    /** The frame behind an {@code xdp_md}. */
    static XdpFrame xdp(HelperContext c, long ctx, String helper) {
        XdpFrame frame = context(c, ctx, helper).xdpFrame();
        if (frame == null) {
            throw new MemoryAccessException(helper + ": r1 (" + Pointer.format(ctx) + ") is not an xdp_md");
        }
        return frame;
    }
}
