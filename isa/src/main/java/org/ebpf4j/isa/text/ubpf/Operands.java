package org.ebpf4j.isa.text.ubpf;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ebpf4j.isa.Register;

/**
 * The comma-separated operands of one statement, read by position. Every reader names the line on failure, so
 * the assembler itself never deals with malformed text.
 */
final class Operands {
    private static final Pattern REGISTER = Pattern.compile("%?r(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("([+-]?)(0[xX][0-9a-fA-F]+|\\d+)");
    private static final Pattern MEMORY = Pattern.compile("\\[\\s*(%?r\\d+)\\s*(?:([+-])\\s*(0[xX][0-9a-fA-F]+|\\d+)\\s*)?]");
    static final Pattern LABEL = Pattern.compile("[A-Za-z_.][A-Za-z0-9_.]*");

    private static final BigInteger TWO_POW_32 = BigInteger.ONE.shiftLeft(32);
    private static final BigInteger TWO_POW_64 = BigInteger.ONE.shiftLeft(64);

    private final SourceLine line;
    private final List<String> items;

    Operands(SourceLine line, List<String> items) {
        this.line = line;
        this.items = items;
    }

    /** Splits the text after the mnemonic; a memory operand contains no comma, so a plain split is exact. */
    static Operands parse(SourceLine line, String text) {
        if (text.isBlank()) {
            return new Operands(line, List.of());
        }
        List<String> items = java.util.Arrays.stream(text.split(",", -1)).map(String::strip).toList();
        if (items.contains("")) {
            throw line.error("empty operand");
        }
        return new Operands(line, items);
    }

    int count() {
        return items.size();
    }

    String text(int index) {
        return items.get(index);
    }

    /** Fails unless there are exactly {@code n} operands; {@code shape} shows the expected form in the message. */
    Operands expect(int n, String shape) {
        if (items.size() != n) {
            throw line.error("expected " + n + " operand" + (n == 1 ? "" : "s") + " (" + shape + "), found "
                    + items.size());
        }
        return this;
    }

    boolean isRegister(int index) {
        return REGISTER.matcher(items.get(index)).matches();
    }

    int register(int index) {
        return registerNumber(items.get(index));
    }

    private int registerNumber(String text) {
        Matcher m = REGISTER.matcher(text);
        if (!m.matches()) {
            throw line.error("expected a register like %r1, found '" + text + "'");
        }
        int number = Integer.parseInt(m.group(1));
        if (number >= Register.COUNT) {
            throw line.error("no register " + text + " (registers are %r0 to %r10)");
        }
        return number;
    }

    /** A 32-bit immediate; unsigned spellings up to 0xffffffff are accepted and stored as their bit pattern. */
    int imm32(int index) {
        BigInteger value = number(items.get(index), "immediate");
        if (value.compareTo(BigInteger.valueOf(Integer.MIN_VALUE)) < 0 || value.compareTo(TWO_POW_32) >= 0) {
            throw line.error("immediate " + items.get(index) + " does not fit in 32 bits");
        }
        return value.intValue();
    }

    /** A 64-bit immediate (lddw); unsigned spellings up to 0xffffffffffffffff are accepted. */
    long imm64(int index) {
        BigInteger value = number(items.get(index), "immediate");
        if (value.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0 || value.compareTo(TWO_POW_64) >= 0) {
            throw line.error("immediate " + items.get(index) + " does not fit in 64 bits");
        }
        return value.longValue();
    }

    MemoryOperand memory(int index) {
        String text = items.get(index);
        Matcher m = MEMORY.matcher(text);
        if (!m.matches()) {
            throw line.error("expected a memory operand like [%r1+8], found '" + text + "'");
        }
        int register = registerNumber(m.group(1));
        if (m.group(2) == null) {
            return new MemoryOperand(register, 0);
        }
        return new MemoryOperand(register, offset(number(m.group(2) + m.group(3), "offset"), text));
    }

    /** A jump displacement ({@code +2}, {@code -1}, {@code 3}) or a label name. */
    JumpTarget target(int index) {
        String text = items.get(index);
        if (NUMBER.matcher(text).matches()) {
            return new JumpTarget.Relative(offset(number(text, "jump offset"), text));
        }
        if (LABEL.matcher(text).matches()) {
            return new JumpTarget.Label(text);
        }
        throw line.error("expected a label or a jump offset like +2, found '" + text + "'");
    }

    /** Offsets and displacements are signed 16-bit fields; wider local-call displacements come from labels. */
    private int offset(BigInteger value, String text) {
        if (value.bitLength() > 15) {
            throw line.error("offset " + text + " does not fit in 16 signed bits");
        }
        return value.intValue();
    }

    private BigInteger number(String text, String what) {
        Matcher m = NUMBER.matcher(text);
        if (!m.matches()) {
            throw line.error("expected a number as " + what + ", found '" + text + "'");
        }
        String digits = m.group(2);
        BigInteger magnitude = digits.length() > 2 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')
                ? new BigInteger(digits.substring(2), 16)
                : new BigInteger(digits);
        return m.group(1).equals("-") ? magnitude.negate() : magnitude;
    }
}
