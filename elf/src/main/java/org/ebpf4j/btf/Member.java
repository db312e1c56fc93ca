package org.ebpf4j.btf;

/**
 * A member of a STRUCT or UNION: its name ("" when anonymous), type id, offset in bits from the start of the
 * aggregate, and bitfield size in bits (0 when the member is not a bitfield or the aggregate has no kind_flag).
 */
public record Member(String name, int type, long bitOffset, int bitfieldSize) {
    public boolean isBitfield() {
        return bitfieldSize != 0;
    }
}
