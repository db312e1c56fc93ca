package org.ebpf4j.spec.context;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code struct pt_regs} of x86-64 (arch/x86/include/asm/ptrace.h, the kernel's member names), the context of
 * kprobe and uprobe programs: 21 registers of 8 bytes, 168 bytes in all. kprobe_prog_is_valid_access allows any
 * read inside the struct at an offset aligned to its size, and no write; the kernel does not rewrite these loads.
 */
public final class PtRegs {
    private PtRegs() {}

    /** The registers in struct order; each is an {@code unsigned long}. */
    public static final List<String> REGISTERS = List.of("r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10",
            "r9", "r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss");

    /** sizeof(struct pt_regs). */
    public static final int SIZE = REGISTERS.size() * Long.BYTES;

    public static final ContextLayout LAYOUT = new ContextLayout("pt_regs", SIZE, fields("", 0, true));

    /** Byte offset of the named register. */
    public static int offsetOf(String register) {
        int index = REGISTERS.indexOf(register);
        if (index < 0) {
            throw new IllegalArgumentException("x86-64 pt_regs has no register " + register);
        }
        return index * Long.BYTES;
    }

    /** The registers as read-only fields named {@code prefix + register}, starting at {@code base}. */
    static List<ContextField> fields(String prefix, int base, boolean narrow) {
        List<ContextField> fields = new ArrayList<>();
        for (int i = 0; i < REGISTERS.size(); i++) {
            fields.add(new ContextField(prefix + REGISTERS.get(i), base + i * Long.BYTES, Long.BYTES,
                    FieldAccess.READ, narrow));
        }
        return fields;
    }
}
