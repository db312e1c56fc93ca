package org.ebpf4j.spec.context;

/**
 * How a program may use a context field. The three packet kinds are the fields the kernel's ctx rewrite turns into
 * pointers: the program reads them as {@code u32}, but the register receives a full pointer into the packet.
 */
public enum FieldAccess {
    /** Readable, never written. */
    READ,
    /** Readable and writable. */
    READ_WRITE,
    /** A 4-byte read gives a pointer to the packet's first byte ({@code data}). */
    PACKET_START,
    /** A 4-byte read gives a pointer just past the packet's last byte ({@code data_end}). */
    PACKET_END,
    /** A 4-byte read gives a pointer to the metadata before the packet ({@code data_meta}). */
    PACKET_META,
    /**
     * A whole read gives a pointer to a kernel object (a socket) of a type neither the verifier nor the engines
     * model yet: the verifier refuses such programs as unsupported, the engines cannot read it.
     */
    KERNEL_POINTER,
    /** Neither readable nor writable by this program type. */
    NONE;

    /** Whether an engine can read the field (as a number or a packet pointer). */
    public boolean readable() {
        return this != NONE && this != KERNEL_POINTER;
    }

    public boolean writable() {
        return this == READ_WRITE;
    }

    /** Whether a 4-byte load of the field yields a packet pointer rather than the stored bytes. */
    public boolean packetPointer() {
        return switch (this) {
            case PACKET_START, PACKET_END, PACKET_META -> true;
            case READ, READ_WRITE, KERNEL_POINTER, NONE -> false;
        };
    }
}
