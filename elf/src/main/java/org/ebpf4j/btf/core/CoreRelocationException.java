package org.ebpf4j.btf.core;

import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.isa.BpfException;

/**
 * A CO-RE relocation that cannot be applied: the access string does not fit the object's BTF, the candidates in the
 * target disagree, or the instruction does not hold what the object's BTF says it should. The message names the
 * instruction slot, the relocation kind, the local type and the access string, then the reason.
 */
public final class CoreRelocationException extends BpfException {
    private final int slot;
    private final CoreReloKind kind;
    private final String localType;
    private final String accessString;
    private final String reason;

    public CoreRelocationException(int slot, CoreReloKind kind, String localType, String accessString,
            String reason) {
        super("insn " + slot + ": CO-RE " + kind + " relocation of " + localType + " at access string '"
                + accessString + "': " + reason);
        this.slot = slot;
        this.kind = kind;
        this.localType = localType;
        this.accessString = accessString;
        this.reason = reason;
    }

    public int slot() {
        return slot;
    }

    public CoreReloKind kind() {
        return kind;
    }

    /** The local type as {@code Btf.describe} names it, e.g. "type 7 (STRUCT 'task_struct')". */
    public String localType() {
        return localType;
    }

    public String accessString() {
        return accessString;
    }

    /** What is wrong, without the slot, kind, type and access string. */
    public String reason() {
        return reason;
    }
}
