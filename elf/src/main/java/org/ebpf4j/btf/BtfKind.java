package org.ebpf4j.btf;

/** The type kinds of Linux's {@code uapi/linux/btf.h}, with their numbers ({@code BTF_KIND_*}). */
public enum BtfKind {
    INT(1), PTR(2), ARRAY(3), STRUCT(4), UNION(5), ENUM(6), FWD(7), TYPEDEF(8), VOLATILE(9), CONST(10),
    RESTRICT(11), FUNC(12), FUNC_PROTO(13), VAR(14), DATASEC(15), FLOAT(16), DECL_TAG(17), TYPE_TAG(18), ENUM64(19);

    private static final BtfKind[] BY_NUMBER = new BtfKind[20];

    static {
        for (BtfKind kind : values()) {
            BY_NUMBER[kind.number] = kind;
        }
    }

    private final int number;

    BtfKind(int number) {
        this.number = number;
    }

    /** The {@code BTF_KIND_*} value. */
    public int number() {
        return number;
    }

    /** The kind with this number, or null when Linux defines none (0 is BTF_KIND_UNKN, never a valid type). */
    public static BtfKind of(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
