package org.ebpf4j.runtime.memory;

/**
 * Memory whose loads and stores are computed rather than copied: the third backing of a {@link Region}, for the
 * context, whose pointer fields read as the packet's tagged pointers (the kernel's ctx rewrite) and whose other
 * fields obey the program type's access rules. Accesses arrive bounds-checked against the region's length.
 * {@link AddressSpace} reaches this backing only after the array and segment cases, so stack, packet and map value
 * accesses never pay for it.
 */
public interface FieldMemory {
    /** A 1, 2, 4 or 8-byte load, zero-extended; {@link MemoryAccessException} when the program may not read it. */
    long load(int offset, int size);

    /** A 1, 2, 4 or 8-byte store; {@link MemoryAccessException} when the program may not write it. */
    void store(int offset, int size, long value);
}
