package org.ebpf4j.elf;

/**
 * BPF relocation types (ELF64_R_TYPE of r_info), with the numbers of LLVM's ELFRelocs/BPF.def and Linux's
 * Documentation/bpf/llvm_reloc.rst. What clang-19 emits them for is noted on each.
 */
public enum RelocationType {
    R_BPF_NONE(0, 0),
    /** The 64-bit immediate of an lddw (16 bytes at r_offset): map references and global-data addresses in code. */
    R_BPF_64_64(1, 16),
    /** A 64-bit data word: function and map pointers in .maps initialisers (prog arrays, map-in-map), DWARF. */
    R_BPF_64_ABS64(2, 8),
    /** A 32-bit data word: DWARF section offsets, .BTF datasec offsets of read-only variables and externs. */
    R_BPF_64_ABS32(3, 4),
    /** Like ABS32 but not applied by a dynamic linker: .BTF datasec offsets and .BTF.ext instruction offsets. */
    R_BPF_64_NODYLD32(4, 4),
    /** The 32-bit immediate of a call (8 bytes at r_offset): bpf-to-bpf calls, to a function or a section symbol. */
    R_BPF_64_32(10, 8);

    /** values() copies its array on every call; lookups use this one. */
    private static final RelocationType[] ALL = values();

    private final int code;
    private final int width;

    RelocationType(int code, int width) {
        this.code = code;
        this.width = width;
    }

    public int code() {
        return code;
    }

    /** Bytes at r_offset that the relocation reads or writes (a whole instruction for code relocations). */
    public int width() {
        return width;
    }

    /** The type with this number, or null when it is not a BPF relocation type. */
    static RelocationType ofCode(long code) {
        for (RelocationType t : ALL) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
