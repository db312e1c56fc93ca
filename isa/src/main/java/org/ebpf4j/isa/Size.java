package org.ebpf4j.isa;

/** Access size of a load or store (bits 3-4 of the opcode). */
public enum Size {
    W(Opcode.W, 4, "u32"), H(Opcode.H, 2, "u16"), B(Opcode.B, 1, "u8"), DW(Opcode.DW, 8, "u64");

    private static final Size[] BY_CODE = {W, H, B, DW};

    public final int code;
    public final int bytes;
    /** The C type name that llvm-objdump prints for an access of this size. */
    public final String cType;

    Size(int code, int bytes, String cType) {
        this.code = code;
        this.bytes = bytes;
        this.cType = cType;
    }

    public static Size of(int opcode) {
        return BY_CODE[Opcode.size(opcode) >> 3];
    }

    public static Size ofBytes(int bytes) {
        return switch (bytes) {
            case 1 -> B;
            case 2 -> H;
            case 4 -> W;
            case 8 -> DW;
            default -> throw new IllegalArgumentException("no access size of " + bytes + " bytes");
        };
    }
}
