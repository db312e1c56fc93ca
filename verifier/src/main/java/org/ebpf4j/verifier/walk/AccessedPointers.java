package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.facts.AccessFact;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.verifier.facts.PointerKind;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * The kind of pointer each load and store instruction has accessed on the paths walked so far (the kernel's
 * insn_aux_data ptr_type and save_aux_ptr_type). The kernel rewrites context accesses in place, so one
 * instruction may not reach the context on one path and other memory on another. Every checked access, atomic ones
 * too, is also joined into the {@link AccessFacts} the engines receive.
 */
final class AccessedPointers {
    /** reg_type_mismatch_ok: of the types the walk produces, only the context must not mix with others. */
    private enum Kind { NONE, CONTEXT, OTHER }

    private final Kind[] kinds;
    private final AccessFacts.Recorder facts;

    AccessedPointers(int slots) {
        kinds = new Kind[slots];
        java.util.Arrays.fill(kinds, Kind.NONE);
        facts = new AccessFacts.Recorder(slots);
    }

    /**
     * Records the base of a successful load or store at {@code idx}: {@code insnOff} is the instruction's offset,
     * {@code state} the path's state (whose innermost frame is the instruction's own).
     */
    void record(int idx, RegisterType base, int insnOff, VerifierState state) {
        Kind kind = base instanceof RegisterType.PtrToCtx ? Kind.CONTEXT : Kind.OTHER;
        if (kinds[idx] == Kind.NONE) {
            kinds[idx] = kind;
        } else if (kinds[idx] != kind) {
            throw VerificationFailure.rule(idx, "same insn cannot be used with different pointers");
        }
        recordAtomic(idx, base, insnOff, state);
    }

    /** Records the base of a successful atomic operation (which the kernel's pointer-type check leaves out). */
    void recordAtomic(int idx, RegisterType base, int insnOff, VerifierState state) {
        facts.record(idx, fact(base, insnOff, state));
    }

    AccessFacts facts() {
        return facts.build();
    }

    private static AccessFact fact(RegisterType base, int insnOff, VerifierState state) {
        return switch (base) {
            case RegisterType.PtrToStack p when p.frame() != state.frameCount() - 1 ->
                    AccessFact.of(PointerKind.OUTER_STACK);
            case RegisterType.PtrToStack p when p.varOff().isConst() ->
                    AccessFact.stack((int) (p.varOff().bits().value() + p.off() + insnOff));
            case RegisterType.PtrToStack p -> AccessFact.of(PointerKind.STACK);
            case RegisterType.PtrToCtx c -> AccessFact.of(PointerKind.CONTEXT);
            case RegisterType.PacketPointer p -> AccessFact.of(PointerKind.PACKET);
            case RegisterType.PtrToMapValue v -> AccessFact.of(PointerKind.MAP_VALUE);
            default -> AccessFact.of(PointerKind.MEMORY);
        };
    }
}
