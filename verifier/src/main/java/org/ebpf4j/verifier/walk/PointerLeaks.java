package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.RegisterType;

/**
 * The kernel's is_pointer_value checks: without CAP_PERFMON (allow_ptr_leaks false) no kernel address may become
 * visible to the program's user, so a pointer may not be stored into memory that user space can read, handed to a
 * helper as a plain number, returned, or cut into a number. Privileged loaders may do all of these.
 */
final class PointerLeaks {
    private PointerLeaks() {}

    /** A store of register {@code regno} into map values, the context or other memory: "R%d leaks addr into %s". */
    static void checkStore(Capabilities caps, RegisterType value, int regno, String into, int idx) {
        if (!caps.privileged() && value.isPointer()) {
            throw VerificationFailure.rule(idx, "R%d leaks addr into %s", regno, into);
        }
    }

    /** An ARG_ANYTHING helper argument. */
    static void checkHelperArgument(boolean privileged, RegisterType value, int regno, int idx) {
        if (!privileged && value.isPointer()) {
            throw VerificationFailure.rule(idx, "R%d leaks addr into helper function", regno);
        }
    }

    /** The main program's return value (check_return_code). */
    static void checkReturn(Capabilities caps, RegisterType r0, int idx) {
        if (!caps.privileged() && r0.isPointer()) {
            throw VerificationFailure.rule(idx, "R0 leaks addr as return value");
        }
    }

    /** A 32-bit or sign-extending move of a pointer (check_alu_op's BPF_MOV). */
    static void checkPartialMove(Capabilities caps, RegisterType src, int srcReg, boolean alu64, int idx) {
        if (caps.privileged() || !src.isPointer()) {
            return;
        }
        if (!alu64) {
            throw VerificationFailure.rule(idx, "R%d partial copy of pointer", srcReg);
        }
        throw VerificationFailure.rule(idx, "R%d sign-extension part of pointer", srcReg);
    }

    /** BPF_NEG and BPF_END of a pointer. */
    static void checkUnary(Capabilities caps, RegisterType dst, int dstReg, int idx) {
        if (!caps.privileged() && dst.isPointer()) {
            throw VerificationFailure.rule(idx, "R%d pointer arithmetic prohibited", dstReg);
        }
    }
}
