package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;

/** The kernel's check_reg_arg: registers r0-r10 only, no reading an unwritten one, no writing the frame pointer. */
final class RegisterAccess {
    private RegisterAccess() {}

    /** SRC_OP: the register must have been written on this path. */
    static RegisterType read(FrameState frame, int reg, int insn) {
        checkExists(reg, insn);
        RegisterType type = frame.reg(reg);
        if (type instanceof RegisterType.NotInit) {
            throw VerificationFailure.rule(insn, "R%d !read_ok", reg);
        }
        return type;
    }

    /** DST_OP: r10 may never be written. */
    static void checkWritable(int reg, int insn) {
        checkExists(reg, insn);
        if (reg == Register.FP.number()) {
            throw VerificationFailure.rule(insn, "frame pointer is read only");
        }
    }

    private static void checkExists(int reg, int insn) {
        if (reg >= Register.COUNT) {
            throw VerificationFailure.rule(insn, "R%d is invalid", reg);
        }
    }
}
