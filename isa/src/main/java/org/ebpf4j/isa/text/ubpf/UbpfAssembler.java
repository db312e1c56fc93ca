package org.ebpf4j.isa.text.ubpf;

import org.ebpf4j.isa.text.AssemblyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * Assembles the uBPF assembler dialect in which the RFC 9669 conformance suite (bpf_conformance) writes its
 * programs:
 *
 * <pre>
 * # comment
 *     mov32 %r0, 0
 *     ldxdw %r1, [%r1+8]
 *     jeq %r1, 0x5, done      # label, or a displacement such as +2
 *     lock fetch add [%r10-8], %r1
 *     call local func1
 * done:
 *     exit
 * </pre>
 *
 * <p>One statement per line; a line may start with labels ({@code name:}). 64-bit operations have no suffix,
 * 32-bit ones end in {@code 32}; immediates are decimal or hex, optionally negative; 32-bit immediates may also
 * be written unsigned up to {@code 0xffffffff}. Encoding is RFC 9669's, identical to Linux's.
 *
 * <p>Assembly runs in two passes: the first fixes every instruction's slot and every label, the second encodes
 * with labels resolved. Any problem raises an {@link AssemblyException} naming the line.
 */
public final class UbpfAssembler {
    private static final Pattern LEADING_LABEL = Pattern.compile("(" + Operands.LABEL.pattern() + ")\\s*:(.*)");

    private UbpfAssembler() {}

    public static Instructions assemble(String source) {
        List<Statement> statements = new ArrayList<>();
        Map<String, Integer> definitions = new LinkedHashMap<>();
        List<Integer> exitSlots = new ArrayList<>();
        int slot = 0;
        String[] lines = source.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            SourceLine line = new SourceLine(i + 1, withoutComment(lines[i]));
            String text = line.text().strip();
            for (Matcher m = LEADING_LABEL.matcher(text); m.matches(); m = LEADING_LABEL.matcher(text)) {
                if (definitions.putIfAbsent(m.group(1), slot) != null) {
                    throw line.error("label '" + m.group(1) + "' is already defined");
                }
                text = m.group(2).strip();
            }
            if (text.isEmpty()) {
                continue;
            }
            Statement statement = parseStatement(line, text, slot);
            if (statement.form() instanceof Form.Exit) {
                exitSlots.add(slot);
            }
            statements.add(statement);
            slot += statement.form().slots();
        }
        StatementEncoder encoder = new StatementEncoder(new Labels(definitions, exitSlots));
        List<Instruction> out = new ArrayList<>(statements.size());
        for (Statement statement : statements) {
            out.add(encoder.encode(statement));
        }
        return Instructions.of(out);
    }

    /** Assembles and encodes to little-endian bytes, the form the conformance corpus stores. */
    public static byte[] assembleToBytes(String source) {
        return assemble(source).encode();
    }

    /** The mnemonics this assembler knows, sorted; atomic ones are written with their prefixes. */
    public static List<String> mnemonics() {
        return List.copyOf(Mnemonics.all().keySet());
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /** Splits the mnemonic from its operands; {@code lock} and {@code lock fetch} are part of the mnemonic. */
    private static Statement parseStatement(SourceLine line, String text, int slot) {
        String[] words = text.split("\\s+", 2);
        String mnemonic = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1] : "";
        while ((mnemonic.equals("lock") || mnemonic.equals("lock fetch")) && !rest.isEmpty()) {
            String[] next = rest.split("\\s+", 2);
            mnemonic = mnemonic + " " + next[0].toLowerCase(Locale.ROOT);
            rest = next.length > 1 ? next[1] : "";
        }
        Form form = Mnemonics.lookup(mnemonic);
        if (form == null) {
            throw line.error("unknown mnemonic '" + mnemonic + "'");
        }
        return new Statement(line, form, Operands.parse(line, rest), slot);
    }
}
