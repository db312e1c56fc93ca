package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.RegisterType;

/**
 * The kind of pointer each load and store instruction has accessed on the paths walked so far (the kernel's
 * insn_aux_data ptr_type and save_aux_ptr_type). The kernel rewrites context accesses in place, so one
 * instruction may not reach the context on one path and other memory on another.
 */
final class AccessedPointers {
    /** reg_type_mismatch_ok: of the types the walk produces, only the context must not mix with others. */
    private enum Kind { NONE, CONTEXT, OTHER }

    private final Kind[] kinds;

    AccessedPointers(int slots) {
        kinds = new Kind[slots];
        java.util.Arrays.fill(kinds, Kind.NONE);
    }

    /** Records the base of a successful access at {@code idx}. */
    void record(int idx, RegisterType base) {
        Kind kind = base instanceof RegisterType.PtrToCtx ? Kind.CONTEXT : Kind.OTHER;
        if (kinds[idx] == Kind.NONE) {
            kinds[idx] = kind;
        } else if (kinds[idx] != kind) {
            throw VerificationFailure.rule(idx, "same insn cannot be used with different pointers");
        }
    }
}
