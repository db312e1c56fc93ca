package org.ebpf4j.btf;

/** What a CO-RE relocation asks for: Linux's {@code enum bpf_core_relo_kind}, with its numbers. */
public enum CoreReloKind {
    FIELD_BYTE_OFFSET(0), FIELD_BYTE_SIZE(1), FIELD_EXISTS(2), FIELD_SIGNED(3), FIELD_LSHIFT_U64(4),
    FIELD_RSHIFT_U64(5), TYPE_ID_LOCAL(6), TYPE_ID_TARGET(7), TYPE_EXISTS(8), TYPE_SIZE(9), ENUMVAL_EXISTS(10),
    ENUMVAL_VALUE(11), TYPE_MATCHES(12);

    private final int number;

    CoreReloKind(int number) {
        this.number = number;
    }

    /** The {@code BPF_CORE_*} value. */
    public int number() {
        return number;
    }

    /** Field relocations walk the access string through members and array elements. */
    public boolean isFieldBased() {
        return number <= FIELD_RSHIFT_U64.number;
    }

    /** Enum value relocations name an enumerator by index in the access string. */
    public boolean isEnumValueBased() {
        return this == ENUMVAL_EXISTS || this == ENUMVAL_VALUE;
    }

    /** The kind with this number, or null. */
    public static CoreReloKind of(long number) {
        for (CoreReloKind kind : values()) {
            if (kind.number == number) {
                return kind;
            }
        }
        return null;
    }
}
