package org.ebpf4j.verifier.facts;

/**
 * What the verifier proved about one memory access instruction on all the paths it walked through it.
 *
 * @param kind the memory reached ({@link PointerKind#MIXED} when paths disagree)
 * @param fixedOffset for {@link PointerKind#STACK}: whether every path accessed the same frame offset
 * @param stackOffset for a fixed {@link PointerKind#STACK} access: the first byte's offset from the frame pointer
 *     (negative; the instruction's own offset included); 0 otherwise
 * @param inBounds whether every path proved the bytes inside the memory (and, for stores, writable); an accepted
 *     program's reached accesses all are, so the flag is false only for {@link PointerKind#NONE}
 */
public record AccessFact(PointerKind kind, boolean fixedOffset, int stackOffset, boolean inBounds) {
    /** No memory access on any verified path. */
    public static final AccessFact NONE = new AccessFact(PointerKind.NONE, false, 0, false);

    public AccessFact {
        if (kind != PointerKind.STACK && (fixedOffset || stackOffset != 0)) {
            throw new IllegalArgumentException("a stack offset for a " + kind + " access");
        }
        if (!fixedOffset && stackOffset != 0) {
            throw new IllegalArgumentException("an offset that is not fixed: " + stackOffset);
        }
    }

    /** An access to the instruction's own stack frame at a known offset from r10. */
    public static AccessFact stack(int offset) {
        return new AccessFact(PointerKind.STACK, true, offset, true);
    }

    /** A proven access to memory of {@code kind} (for the stack: at an offset that is not known). */
    public static AccessFact of(PointerKind kind) {
        return new AccessFact(kind, false, 0, kind != PointerKind.NONE);
    }

    /** What holds on the paths of this fact and of {@code other} together. */
    public AccessFact join(AccessFact other) {
        if (kind == PointerKind.NONE) {
            return other;
        }
        if (other.kind == PointerKind.NONE || equals(other)) {
            return this;
        }
        boolean bounded = inBounds && other.inBounds;
        if (kind != other.kind) {
            return new AccessFact(PointerKind.MIXED, false, 0, bounded);
        }
        // The same kind at two stack offsets: still the own frame, at an offset only the register knows.
        return new AccessFact(kind, false, 0, bounded);
    }

    /** Whether an engine may address the memory directly, without looking its region up. */
    public boolean direct() {
        return inBounds && (kind == PointerKind.STACK || kind == PointerKind.CONTEXT || kind == PointerKind.PACKET);
    }
}
