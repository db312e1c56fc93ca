package org.ebpf4j.verifier.walk;

import org.ebpf4j.spec.context.ContextField;
import org.ebpf4j.spec.context.ContextLayout;
import org.ebpf4j.spec.context.FieldAccess;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.scalar.ScalarAlu;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToCtx;
import org.ebpf4j.verifier.state.RegisterType.PtrToPacket;
import org.ebpf4j.verifier.state.RegisterType.PtrToPacketEnd;
import org.ebpf4j.verifier.state.RegisterType.PtrToPacketMeta;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;

/**
 * Loads and stores through the context pointer (check_mem_access's PTR_TO_CTX case, check_ctx_access and the
 * program type's is_valid_access), in the kernel's order: alignment when strict, the unmodified pointer, then the
 * field rules. A load of a packet field gives the packet pointer the kernel's ctx rewrite produces.
 */
final class ContextAccess {
    private ContextAccess() {}

    /** What {@code *(size *)(ctx + off)} puts in its destination register. */
    static RegisterType load(ContextRules rules, int regno, PtrToCtx ptr, int insnOff, int size, boolean signExtend,
                             int idx) {
        if (rules.negativeReads() && ptr.off() == 0 && insnOff < 0 && insnOff % size == 0) {
            return signExtend ? ScalarValue.unknown() : unknownNumber(size);
        }
        ContextField field = checkedField(rules, regno, ptr, insnOff, size, false, idx, "load");
        if (signExtend) {
            // A sign-extending load follows the same rules but cannot give a pointer. Its number is left unknown in
            // all 64 bits: coarser than the kernel's sign-extended range, never finer.
            if (field.access().packetPointer()) {
                throw VerificationFailure.rule(idx, "invalid bpf_context access off=%d size=%d", insnOff, size);
            }
            return ScalarValue.unknown();
        }
        return switch (field.access()) {
            // The kernel gives packet pointers of a fresh load id 0, offset 0 and no proven range.
            case PACKET_START -> new PtrToPacket(0, Scalar.constant(0), 0, 0);
            case PACKET_META -> new PtrToPacketMeta(0, Scalar.constant(0), 0, 0);
            case PACKET_END -> new PtrToPacketEnd();
            // mark_reg_unknown, then coerce_reg_to_size for loads narrower than a register.
            case READ, READ_WRITE -> unknownNumber(size);
            case KERNEL_POINTER, NONE -> throw new IllegalStateException("refused by checkedField: " + field);
        };
    }

    private static ScalarValue unknownNumber(int size) {
        return size == Limits.REG_SIZE ? ScalarValue.unknown()
                : new ScalarValue(ScalarAlu.truncate(Scalar.unknown(), size));
    }

    /** Checks {@code *(size *)(ctx + off) = value}; the context's contents are not tracked. */
    static void store(ContextRules rules, int regno, PtrToCtx ptr, int insnOff, int size, int idx) {
        checkedField(rules, regno, ptr, insnOff, size, true, idx, "store");
    }

    private static ContextField checkedField(ContextRules rules, int regno, PtrToCtx ptr, int insnOff, int size,
                                             boolean write, int idx, String access) {
        ContextLayout layout = rules.layout().orElseThrow(() -> VerificationFailure.unsupported(idx,
                "context " + access + " for this program type"));
        // check_ptr_alignment comes first and sees the pointer's own offset apart.
        if (rules.strictAlignment() && size > 1 && Math.floorMod(ptr.off() + insnOff, size) != 0) {
            throw VerificationFailure.rule(idx, "misaligned context access off 0+%d+%d size %d", ptr.off(), insnOff,
                    size);
        }
        // check_ptr_off_reg: the rewrite of context accesses needs the field's offset in the instruction alone.
        if (ptr.off() < 0) {
            throw VerificationFailure.rule(idx, "negative offset ctx ptr R%d off=%d disallowed", regno, ptr.off());
        }
        if (ptr.off() != 0) {
            throw VerificationFailure.rule(idx, "dereference of modified ctx ptr R%d off=%d disallowed", regno,
                    ptr.off());
        }
        ContextField field = layout.fieldAt(insnOff).orElse(null);
        if (insnOff < 0 || insnOff % size != 0 || field == null || rules.refusedFields().contains(field.name())
                || !allowed(rules, layout, field, insnOff, size, write, idx)) {
            throw VerificationFailure.rule(idx, "invalid bpf_context access off=%d size=%d", insnOff, size);
        }
        return field;
    }

    private static boolean allowed(ContextRules rules, ContextLayout layout, ContextField field, int off, int size,
                                   boolean write, int idx) {
        if (!field.covers(off, size)) {
            return false;
        }
        if (field.access() == FieldAccess.KERNEL_POINTER) {
            // Never writable, read whole, and the read gives a pointer to a kernel object (a socket, the flow
            // dissector's keys) that the walk does not model.
            if (write || off != field.offset() || size != field.size()) {
                return false;
            }
            throw VerificationFailure.unsupported(idx, "kernel object pointers read from the context ("
                    + layout.structName() + "->" + field.name() + ")");
        }
        if (write) {
            return field.access().writable() && !rules.unwritableFields().contains(field.name())
                    && field.writableAs(size);
        }
        if (!field.access().readable() || !field.readableAs(size)) {
            return false;
        }
        // xdp_md reads whole fields only; packet pointers are read whole (bpf_skb_is_valid_access).
        boolean whole = field.size() > Limits.REG_SIZE || size >= field.size();
        return whole || (rules.narrowReads() && !field.access().packetPointer());
    }
}
