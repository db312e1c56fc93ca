package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PacketPointer;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.StackByte;
import org.ebpf4j.verifier.state.StackSlot;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Memory a helper reads or writes through a pointer argument (the kernel's check_helper_mem_access and, for the
 * stack, check_stack_range_initialized, privileged): the bytes must lie within the object, maps must allow the
 * access, and a helper that writes the stack leaves unknown bytes there.
 */
final class HelperMemory {
    private HelperMemory() {}

    /** Where a helper that only fills memory (MEM_UNINIT with a known size) will write, marked after the checks. */
    record RawWrite(PtrToStack pointer, int size) {}

    /**
     * Checks {@code size} bytes at the pointer in {@code regno}; returns the stack area a raw-mode argument will
     * fill, or null.
     */
    static RawWrite check(VerifierState state, ContextRules context, int regno, RegisterType reg, int size,
                          boolean write, boolean zeroSizeAllowed, boolean rawMode, int idx) {
        switch (reg) {
            case PacketPointer pkt -> {
                PacketAccess.check(context, regno, pkt, 0, size, zeroSizeAllowed, idx);
                return null;
            }
            case RegisterType.PtrToMapKey key -> {
                if (write) {
                    throw VerificationFailure.rule(idx, "R%d cannot write into %s", regno, key.kernelName());
                }
                ObjectAccess.checkRegion(regno, key.varOff(), key.off(), size, key.map().keySize(), false, idx,
                        "map key", "key_size");
                return null;
            }
            case PtrToMapValue value -> {
                ObjectAccess.checkAccessType(regno, value.map(), value.off(), size,
                        write ? ObjectAccess.Kind.WRITE : ObjectAccess.Kind.READ, idx);
                ObjectAccess.checkRegion(regno, value.varOff(), value.off(), size, value.map().valueSize(),
                        zeroSizeAllowed, idx, "map value", "value_size");
                return null;
            }
            case RegisterType.PtrToMem mem -> {
                ObjectAccess.checkRegion(regno, mem.varOff(), mem.off(), size, mem.size(), zeroSizeAllowed, idx,
                        "memory", "mem_size");
                return null;
            }
            case PtrToStack stack -> {
                return stack(state, regno, stack, size, write, zeroSizeAllowed, rawMode, idx);
            }
            default -> {
                if (zeroSizeAllowed && size == 0 && reg instanceof ScalarValue s && s.value().isConst()
                        && s.value().bits().value() == 0) {
                    return null;
                }
                if (reg instanceof RegisterType.PtrToCtx) {
                    throw VerificationFailure.unsupported(idx, "the context as helper memory");
                }
                throw VerificationFailure.rule(idx, "R%d type=%s expected=fp", regno, reg.kernelName());
            }
        }
    }

    /** check_stack_range_initialized, privileged: every byte may be read; written bytes become unknown. */
    private static RawWrite stack(VerifierState state, int regno, PtrToStack ptr, int size, boolean write,
                                  boolean zeroSizeAllowed, boolean rawMode, int idx) {
        if (size == 0 && !zeroSizeAllowed) {
            throw VerificationFailure.rule(idx, "invalid zero-sized read");
        }
        if (!ptr.varOff().isConst()) {
            throw VerificationFailure.unsupported(idx, "stack access through a variable offset");
        }
        long minOff = ptr.varOff().bits().value() + ptr.off();
        long maxOff = minOff + size;
        if (minOff < -Limits.MAX_BPF_STACK || minOff > -1 || maxOff > 0) {
            throw VerificationFailure.rule(idx, "invalid%s stack R%d off=%d size=%d", write ? " write to" : " read from",
                    regno, ptr.off(), size);
        }
        // check_stack_access_within_bounds: the frame's stack depth reaches the lowest byte passed.
        state.frame(ptr.frame()).growStack((int) -minOff);
        if (rawMode) {
            return new RawWrite(ptr, size);
        }
        if (write) {
            FrameState frame = state.frame(ptr.frame());
            for (long off = minOff; off < maxOff; off++) {
                clobber(frame, (int) off);
            }
        }
        return null;
    }

    /** A byte the helper may have written: unknown now, and a register spilled over it is lost. */
    private static void clobber(FrameState frame, int off) {
        int index = FrameState.slotIndex(off);
        StackSlot slot = frame.slot(index);
        int at = Math.floorMod(off, Limits.REG_SIZE);
        if (slot.isSpill()) {
            frame.setSlot(index, slot.overwrite(at, 1, StackByte.MISC));
        } else if (slot.at(at) != StackByte.MISC) {
            frame.setSlot(index, slot.overwrite(at, 1, StackByte.MISC));
        }
    }

    /** After every argument: the bytes a raw-mode argument fills become unknown (check_mem_access per byte). */
    static void fill(VerifierState state, RawWrite raw) {
        FrameState frame = state.frame(raw.pointer().frame());
        long start = raw.pointer().varOff().bits().value() + raw.pointer().off();
        for (int i = 0; i < raw.size(); i++) {
            clobber(frame, (int) (start + i));
        }
    }

    /** The variable part of a pointer argument, as a scalar; zero for pointers that have none. */
    static Scalar variablePart(RegisterType reg) {
        return switch (reg) {
            case PtrToStack s -> s.varOff();
            case PtrToMapValue v -> v.varOff();
            case PacketPointer p -> p.varOff();
            case RegisterType.PtrToMem m -> m.varOff();
            default -> Scalar.constant(0);
        };
    }
}
