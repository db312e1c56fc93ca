package org.ebpf4j.runtime.memory;

import org.ebpf4j.isa.BpfException;

/** A program touched memory outside every region it may address, or broke an access rule of one. */
public final class MemoryAccessException extends BpfException {
    public MemoryAccessException(String message) {
        super(message);
    }
}
