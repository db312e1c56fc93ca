package org.ebpf4j.isa.text;

import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * Writes instructions in the syntax of {@code llvm-objdump-19 -d} for BPF ({@code r0 = *(u32 *)(r1 + 0x4)},
 * {@code if w1 s> 0x5 goto +0x1 <prog+0x30>}, ...).
 *
 * <pre>{@code
 * String text = Disassembler.lossless().disassemble(program);   // one instruction per line
 * Instructions again = Assembler.assemble(text);                // equals program
 * }</pre>
 *
 * {@link #llvmObjdump()} reproduces llvm-objdump byte for byte; {@link #lossless()} differs only where
 * llvm-objdump drops a field (see {@link Syntax}).
 */
public final class Disassembler {
    private static final LongFunction<String> NO_TARGET_NAMES = address -> "";

    private final InstructionPrinter printer;

    private Disassembler(Syntax syntax) {
        this.printer = new InstructionPrinter(syntax);
    }

    public static Disassembler of(Syntax syntax) {
        return new Disassembler(syntax);
    }

    public static Disassembler llvmObjdump() {
        return of(Syntax.LLVM_OBJDUMP);
    }

    public static Disassembler lossless() {
        return of(Syntax.LOSSLESS);
    }

    /** The text of one instruction at a slot, without a branch target name. */
    public String instruction(Instruction insn, int slot) {
        return printer.print(insn, slot, NO_TARGET_NAMES);
    }

    /** The text of one instruction at a slot, with llvm-objdump's {@code <symbol+0xoff>} after branches. */
    public String instruction(Instruction insn, int slot, SymbolTable symbols) {
        return printer.print(insn, slot, symbols::describe);
    }

    /** One line per instruction, each ending in a newline: the assembler's input format. */
    public String disassemble(Instructions program) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < program.size(); i++) {
            out.append(instruction(program.get(i), program.slotOf(i))).append('\n');
        }
        return out.toString();
    }

    /**
     * A section as {@code llvm-objdump -d} prints it, from its {@code Disassembly of section} line to the last
     * instruction: a header line for every symbol, then {@code slot:<tab>bytes<tab>text} per instruction.
     */
    public String listing(Instructions program, SymbolTable symbols) {
        return listing(program, symbols, Annotations.NONE);
    }

    /**
     * What a caller adds to a listing: lines before an instruction (source lines, like {@code llvm-objdump -S}) and
     * a comment after it (which map an lddw loads).
     */
    public interface Annotations {
        Annotations NONE = new Annotations() {};

        /** Lines to print before the instruction at {@code slot}, without their newline. */
        default List<String> before(int slot) {
            return List.of();
        }

        /** A comment for the end of the instruction's line, or null. */
        default String after(int slot) {
            return null;
        }
    }

    /** {@link #listing(Instructions, SymbolTable)} with annotations. */
    public String listing(Instructions program, SymbolTable symbols, Annotations annotations) {
        StringBuilder out = new StringBuilder("Disassembly of section ").append(symbols.section()).append(":\n");
        if (symbols.startingAt(0).isEmpty()) {
            // llvm-objdump opens a section that no symbol starts with a header naming the section itself.
            header(out, 0, symbols.section());
        }
        HexFormat bytes = HexFormat.ofDelimiter(" ");
        for (int i = 0; i < program.size(); i++) {
            int slot = program.slotOf(i);
            Instruction insn = program.get(i);
            for (SymbolTable.Symbol s : symbols.startingAt((long) slot * Instruction.SIZE)) {
                header(out, s.address(), s.name());
            }
            for (String line : annotations.before(slot)) {
                out.append(line).append('\n');
            }
            out.append(String.format("%8d:\t", slot))
                    .append(bytes.formatHex(Instructions.of(List.of(insn)).encode()))
                    .append('\t').append(instruction(insn, slot, symbols));
            String comment = annotations.after(slot);
            if (comment != null) {
                out.append("\t# ").append(comment);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void header(StringBuilder out, long address, String name) {
        out.append('\n').append(String.format("%016x <%s>:", address, name)).append('\n');
    }
}
