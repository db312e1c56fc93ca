package org.ebpf4j.runtime;

/**
 * A legacy packet load (LD_ABS/LD_IND) past the packet's end: the kernel ends the whole run with r0 = 0, from any
 * frame, so the engines unwind to their {@link Executable#run} with this. No stack trace, so it costs little.
 */
public final class PacketTooShort extends RuntimeException {
    public static final PacketTooShort INSTANCE = new PacketTooShort();

    private PacketTooShort() {
        super("packet too short", null, false, false);
    }
}
