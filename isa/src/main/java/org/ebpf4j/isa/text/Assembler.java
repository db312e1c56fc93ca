package org.ebpf4j.isa.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * Reads the syntax {@link Disassembler} writes (either {@link Syntax}) back into instructions.
 *
 * <p>One instruction per line. {@code name:} defines a label at the next instruction's slot; {@code goto},
 * {@code gotol}, conditional jumps and {@code call} take a label or a numeric displacement ({@code +0x3}). A
 * trailing {@code <symbol+0xoff>} as llvm-objdump appends to branches is ignored, as are comments ({@code #},
 * {@code ;}, {@code //}) and blank lines. Errors name the line and column.
 */
public final class Assembler {
    private Assembler() {}

    public static Instructions assemble(String source) {
        List<StatementParser.Statement> statements = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        List<Integer> slots = new ArrayList<>();
        int slot = 0;
        String[] lines = source.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            int lineNumber = n + 1;
            String text = lines[n];
            String code = withoutTargetName(withoutComment(text));
            List<Token> tokens = Token.split(code, lineNumber, text);
            int start = 0;
            // Labels: "name:" before an instruction or alone on the line.
            while (tokens.get(start).kind() == Token.Kind.WORD && tokens.get(start + 1).is(":")) {
                Token name = tokens.get(start);
                if (labels.putIfAbsent(name.text(), slot) != null) {
                    throw new AssemblyException(lineNumber, name.column(), "label '" + name.text() + "' defined twice", text);
                }
                start += 2;
            }
            if (tokens.get(start).kind() == Token.Kind.END) {
                continue;
            }
            if (code.strip().equals(InstructionPrinter.UNKNOWN)) {
                throw new AssemblyException(lineNumber, 1, "<unknown> names no encoding; write it as .insn", text);
            }
            StatementParser.Statement s = new StatementParser(tokens.subList(start, tokens.size()), lineNumber, text).parse();
            statements.add(s);
            slots.add(slot);
            slot += s.insn().slots();
        }
        List<Instruction> out = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            out.add(resolve(statements.get(i), slots.get(i), labels, lines));
        }
        return Instructions.of(out);
    }

    private static Instruction resolve(StatementParser.Statement s, int slot, Map<String, Integer> labels, String[] lines) {
        if (s.label() == null) {
            return s.insn();
        }
        Integer target = labels.get(s.label());
        String text = lines[s.line() - 1];
        if (target == null) {
            throw new AssemblyException(s.line(), s.column(), "undefined label '" + s.label() + "'", text);
        }
        long displacement = (long) target - slot - 1;
        boolean wide = s.insn().isLongJump() || s.insn().isLocalCall();
        if (!wide && (displacement < Short.MIN_VALUE || displacement > Short.MAX_VALUE)) {
            throw new AssemblyException(s.line(), s.column(),
                    "label '" + s.label() + "' is " + displacement + " slots away, beyond goto's 16-bit reach (use gotol)", text);
        }
        return s.insn().withDisplacement((int) displacement);
    }

    private static String withoutComment(String line) {
        int cut = line.length();
        for (String marker : new String[] {"#", ";", "//"}) {
            int i = line.indexOf(marker);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return line.substring(0, cut);
    }

    /** Drops llvm-objdump's {@code <LBB0_2>} / {@code <prog+0x30>} after a branch; it restates the displacement. */
    private static String withoutTargetName(String line) {
        String t = line.stripTrailing();
        int open = t.lastIndexOf(" <");
        if (t.endsWith(">") && open > 0 && t.substring(0, open).contains("goto")) {
            return t.substring(0, open);
        }
        return t;
    }
}
