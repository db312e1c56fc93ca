package org.ebpf4j.isa.text;

import static org.ebpf4j.isa.Opcode.*;

import java.util.List;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Size;

/** Parses one instruction of the disassembler's syntax (either {@link Syntax}) from the tokens of a line. */
final class StatementParser {
    /** An instruction, and the label whose slot its displacement must reach (null when it is already numeric). */
    record Statement(Instruction insn, String label, int line, int column) {}

    private record Reg(int number, boolean wide) {}

    private record Address(int reg, int offset) {}

    private final List<Token> tokens;
    private final int line;
    private final String text;
    private int pos;

    StatementParser(List<Token> tokens, int line, String text) {
        this.tokens = tokens;
        this.line = line;
        this.text = text;
    }

    Statement parse() {
        Token first = peek();
        Statement s = statement(first);
        if (peek().kind() != Token.Kind.END) {
            throw error(peek(), "unexpected '" + peek().text() + "' after the instruction");
        }
        return s;
    }

    private Statement statement(Token first) {
        if (first.is("*")) {
            return plain(store());
        }
        if (first.kind() != Token.Kind.WORD) {
            throw error(first, "expected an instruction, found '" + first.text() + "'");
        }
        if (isRegister(first)) {
            return plain(registerStatement());
        }
        next();
        return switch (first.text()) {
            case "exit" -> plain(new Instruction(JMP | EXIT, 0, 0, 0, 0));
            case "goto" -> branch(new Instruction(JMP | JA, 0, 0, 0, 0));
            case "gotol" -> branch(new Instruction(JMP32 | JA, 0, 0, 0, 0));
            case "may_goto" -> branch(new Instruction(JMP | 0xe0, 0, 0, 0, 0));
            case "call" -> call();
            case "callx" -> plain(new Instruction(JMP | CALL | X, register(true).number(), 0, 0, 0));
            case "if" -> conditional();
            case "lock" -> plain(lock());
            case "ld_pseudo" -> plain(ldPseudo());
            case ".insn" -> plain(raw());
            default -> throw error(first, "unknown instruction '" + first.text() + "'");
        };
    }

    private Statement plain(Instruction insn) {
        return new Statement(insn, null, line, 0);
    }

    /** A jump target: a label, or a displacement such as {@code +0x3}. */
    private Statement branch(Instruction insn) {
        Token t = peek();
        if (t.kind() == Token.Kind.WORD) {
            next();
            return new Statement(insn, t.text(), line, t.column());
        }
        long disp = number();
        boolean wide = insn.isLongJump() || insn.isLocalCall();
        check(t, wide ? fitsInt(disp) : disp >= Short.MIN_VALUE && disp <= Short.MAX_VALUE, "displacement out of range");
        return new Statement(insn.withDisplacement((int) disp), null, line, 0);
    }

    private Statement call() {
        Token t = peek();
        if (t.is("pc")) {
            next();
            return branch(new Instruction(JMP | CALL, 0, CALL_LOCAL, 0, 0));
        }
        if (t.is("kfunc")) {
            next();
            return plain(new Instruction(JMP | CALL, 0, CALL_KFUNC, 0, imm32()));
        }
        if (t.kind() == Token.Kind.WORD) {
            return branch(new Instruction(JMP | CALL, 0, CALL_LOCAL, 0, 0));
        }
        return plain(new Instruction(JMP | CALL, 0, CALL_HELPER, 0, imm32()));
    }

    private Statement conditional() {
        Reg dst = register(null);
        Token opToken = next();
        int code = switch (opToken.text()) {
            case "==" -> JEQ;
            case ">" -> JGT;
            case ">=" -> JGE;
            case "&" -> JSET;
            case "!=" -> JNE;
            case "s>" -> JSGT;
            case "s>=" -> JSGE;
            case "<" -> JLT;
            case "<=" -> JLE;
            case "s<" -> JSLT;
            case "s<=" -> JSLE;
            default -> throw error(opToken, "expected a comparison, found '" + opToken.text() + "'");
        };
        int cls = dst.wide() ? JMP : JMP32;
        Instruction insn = isRegister(peek())
                ? new Instruction(cls | code | X, dst.number(), register(dst.wide()).number(), 0, 0)
                : new Instruction(cls | code | K, dst.number(), 0, 0, imm32());
        expect("goto");
        return branch(insn);
    }

    private Instruction registerStatement() {
        Reg dst = register(null);
        Token op = next();
        int cls = dst.wide() ? ALU64 : ALU;
        int offset = 0;
        int code = switch (op.text()) {
            case "=" -> -1;
            case "+=" -> ADD;
            case "-=" -> SUB;
            case "*=" -> MUL;
            case "/=" -> DIV;
            case "|=" -> OR;
            case "&=" -> AND;
            case "<<=" -> LSH;
            case ">>=" -> RSH;
            case "%=" -> MOD;
            case "^=" -> XOR;
            case "s>>=" -> ARSH;
            case "s/=" -> { offset = 1; yield DIV; }
            case "s%=" -> { offset = 1; yield MOD; }
            default -> throw error(op, "expected '=' or an assignment operator, found '" + op.text() + "'");
        };
        if (code < 0) {
            return assignment(dst);
        }
        return isRegister(peek())
                ? new Instruction(cls | code | X, dst.number(), register(dst.wide()).number(), offset, 0)
                : new Instruction(cls | code | K, dst.number(), 0, offset, imm32());
    }

    private Instruction assignment(Reg dst) {
        int cls = dst.wide() ? ALU64 : ALU;
        Token t = peek();
        if (t.is("*")) {
            return load(dst);
        }
        if (t.is("-") && isRegister(peekAt(1))) {
            next();
            sameRegister(dst, register(dst.wide()));
            return new Instruction(cls | NEG, dst.number(), 0, 0, 0);
        }
        if (t.is("(")) {
            next();
            Token type = next();
            int bits = switch (type.text()) {
                case "s8" -> 8;
                case "s16" -> 16;
                case "s32" -> 32;
                default -> throw error(type, "expected s8, s16 or s32, found '" + type.text() + "'");
            };
            expect(")");
            return new Instruction(cls | MOV | X, dst.number(), register(dst.wide()).number(), bits, 0);
        }
        if (isRegister(t)) {
            return new Instruction(cls | MOV | X, dst.number(), register(dst.wide()).number(), 0, 0);
        }
        if (t.kind() == Token.Kind.WORD) {
            return new AtomicParser().assignment(dst.number(), dst.wide(), next());
        }
        long value = number();
        if (peek().is("ll")) {
            next();
            requireWide(t, dst);
            return new Instruction(LDDW, dst.number(), PSEUDO_NONE, 0, value);
        }
        check(t, fitsInt(value), "immediate does not fit in 32 bits (add 'll' for a 64-bit load)");
        return new Instruction(cls | MOV | K, dst.number(), 0, 0, (int) value);
    }

    private Instruction load(Reg dst) {
        Token at = peek();
        expect("*");
        expect("(");
        Token type = next();
        expect("*");
        expect(")");
        requireWide(at, dst);
        if (peek().is("skb")) {
            next();
            check(at, dst.number() == 0, "packet loads write r0");
            Size size = unsignedSize(type);
            expect("[");
            Instruction insn;
            if (isRegister(peek())) {
                int src = register(true).number();
                int imm = peek().is("+") || peek().is("-") ? imm32() : 0;
                insn = new Instruction(LD | IND | size.code, 0, src, 0, imm);
            } else {
                insn = new Instruction(LD | ABS | size.code, 0, 0, 0, imm32());
            }
            expect("]");
            return insn;
        }
        boolean signed = type.text().startsWith("s");
        Size size = signed ? signedSize(type) : unsignedSize(type);
        Address a = address();
        return new Instruction(LDX | (signed ? MEMSX : MEM) | size.code, dst.number(), a.reg(), a.offset(), 0);
    }

    private Instruction store() {
        expect("*");
        expect("(");
        Size size = unsignedSize(next());
        expect("*");
        expect(")");
        Address a = address();
        expect("=");
        if (isRegister(peek())) {
            return new Instruction(STX | MEM | size.code, a.reg(), register(true).number(), a.offset(), 0);
        }
        return new Instruction(ST | MEM | size.code, a.reg(), 0, a.offset(), imm32());
    }

    /** {@code lock *(u64 *)(r1 + 0x8) += r2}; the source may be written r2 or w2 (LLVM's alu32 spelling). */
    private Instruction lock() {
        expect("*");
        expect("(");
        Token typeToken = next();
        Size size = unsignedSize(typeToken);
        check(typeToken, size == Size.W || size == Size.DW, "atomic operations are 32 or 64 bits wide");
        expect("*");
        expect(")");
        Address a = address();
        Token op = next();
        int operation = switch (op.text()) {
            case "+=" -> ADD;
            case "|=" -> OR;
            case "&=" -> AND;
            case "^=" -> XOR;
            default -> throw error(op, "expected +=, |=, &= or ^=, found '" + op.text() + "'");
        };
        return new Instruction(STX | ATOMIC | size.code, a.reg(), register(null).number(), a.offset(), operation);
    }

    private Instruction ldPseudo() {
        Reg dst = register(true);
        expect(",");
        Token kind = peek();
        long src = number();
        check(kind, src >= 0 && src <= 0xf, "pseudo kind must be 0x0-0xf");
        expect(",");
        long low = number() & 0xffff_ffffL;
        long high = 0;
        if (peek().is(",")) {
            next();
            high = number() & 0xffff_ffffL;
        }
        return new Instruction(LDDW, dst.number(), (int) src, 0, high << 32 | low);
    }

    private Instruction raw() {
        Token at = peek();
        long opcode = number();
        expect(",");
        long dst = number();
        expect(",");
        long src = number();
        expect(",");
        long off = number();
        expect(",");
        long imm = number();
        try {
            return new Instruction((int) opcode, (int) dst, (int) src, (int) off, imm);
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    // Operands, shared with AtomicParser.

    Address address() {
        expect("(");
        int reg = register(true).number();
        Token sign = peek();
        long off = 0;
        if (sign.is("+") || sign.is("-")) {
            off = number();
        }
        check(sign, off >= Short.MIN_VALUE && off <= Short.MAX_VALUE, "offset out of 16-bit range");
        expect(")");
        return new Address(reg, (int) off);
    }

    /** A register; {@code wide} null accepts either spelling, otherwise it must be r (true) or w (false). */
    Reg register(Boolean wide) {
        Token t = next();
        if (!isRegister(t)) {
            throw error(t, "expected a register, found '" + t.text() + "'");
        }
        boolean isWide = t.text().charAt(0) == 'r';
        if (wide != null && wide != isWide) {
            throw error(t, "expected a " + (wide ? "64-bit r" : "32-bit w") + " register, found " + t.text());
        }
        return new Reg(Integer.parseInt(t.text().substring(1)), isWide);
    }

    static boolean isRegister(Token t) {
        return t.kind() == Token.Kind.WORD && t.text().matches("[rw](\\d|1[01])");
    }

    /** A signed number: {@code 5}, {@code -0x5}, {@code +0x3}, {@code 0xffffffffffffffff}. */
    long number() {
        boolean negative = false;
        Token t = next();
        if (t.is("+") || t.is("-")) {
            negative = t.is("-");
            t = next();
        }
        if (t.kind() != Token.Kind.NUMBER) {
            throw error(t, "expected a number, found '" + t.text() + "'");
        }
        String s = t.text().toLowerCase();
        try {
            long v = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw error(t, "not a number: '" + t.text() + "'");
        }
    }

    /** A 32-bit immediate, written signed or as its unsigned value. */
    int imm32() {
        Token t = peek();
        long v = number();
        check(t, fitsInt(v), "immediate does not fit in 32 bits");
        return (int) v;
    }

    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= 0xffff_ffffL;
    }

    Token expect(String s) {
        Token t = next();
        if (!t.is(s)) {
            throw error(t, "expected '" + s + "', found '" + t.text() + "'");
        }
        return t;
    }

    Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) {
            pos++;
        }
        return t;
    }

    void check(Token at, boolean ok, String problem) {
        if (!ok) {
            throw error(at, problem);
        }
    }

    void sameRegister(Reg expected, Reg actual) {
        if (expected.number() != actual.number()) {
            throw error(tokens.get(pos - 1), "operand must be the destination register r" + expected.number());
        }
    }

    private void requireWide(Token at, Reg dst) {
        check(at, dst.wide(), "the destination of this instruction is a 64-bit r register");
    }

    Size unsignedSize(Token t) {
        return switch (t.text()) {
            case "u8" -> Size.B;
            case "u16" -> Size.H;
            case "u32" -> Size.W;
            case "u64" -> Size.DW;
            default -> throw error(t, "expected u8, u16, u32 or u64, found '" + t.text() + "'");
        };
    }

    private Size signedSize(Token t) {
        return switch (t.text()) {
            case "s8" -> Size.B;
            case "s16" -> Size.H;
            case "s32" -> Size.W;
            default -> throw error(t, "expected s8, s16 or s32, found '" + t.text() + "'");
        };
    }

    AssemblyException error(Token at, String problem) {
        return new AssemblyException(line, at.column(), problem, text);
    }

    /** The function-call-like forms after {@code rD =}: byte swaps, atomics with a result, addr_space_cast. */
    private final class AtomicParser {
        Instruction assignment(int dst, boolean wide, Token name) {
            String n = name.text();
            int cls = wide ? ALU64 : ALU;
            if (n.matches("(le|be|bswap)(16|32|64)")) {
                int bits = Integer.parseInt(n.replaceAll("\\D", ""));
                sameRegister(new Reg(dst, wide), register(true));
                check(name, wide, "byte swaps are written on r registers");
                int opcode = n.startsWith("bswap") ? ALU64 | END | TO_LE : ALU | END | (n.startsWith("be") ? TO_BE : TO_LE);
                return new Instruction(opcode, dst, 0, 0, bits);
            }
            if (n.startsWith("atomic_fetch_")) {
                int operation = switch (n.substring("atomic_fetch_".length())) {
                    case "add" -> ADD;
                    case "or" -> OR;
                    case "and" -> AND;
                    case "xor" -> XOR;
                    default -> throw error(name, "unknown atomic operation '" + n + "'");
                };
                expect("(");
                expect("(");
                Size size = unsignedSize(next());
                check(name, size == (wide ? Size.DW : Size.W), "atomic width does not match the register");
                expect("*");
                expect(")");
                Address a = address();
                expect(",");
                sameRegister(new Reg(dst, wide), register(wide));
                expect(")");
                return new Instruction(STX | ATOMIC | size.code, a.reg(), dst, a.offset(), operation | FETCH);
            }
            Size size = wide ? Size.DW : Size.W;
            String suffix = wide ? "_64" : "32_32";
            if (n.equals("xchg" + suffix)) {
                expect("(");
                Address a = addressWithoutParentheses();
                expect(",");
                sameRegister(new Reg(dst, wide), register(wide));
                expect(")");
                return new Instruction(STX | ATOMIC | size.code, a.reg(), dst, a.offset(), XCHG);
            }
            if (n.equals("cmpxchg" + suffix)) {
                check(name, dst == 0, "cmpxchg writes r0");
                expect("(");
                Address a = addressWithoutParentheses();
                expect(",");
                sameRegister(new Reg(0, wide), register(wide));
                expect(",");
                int src = register(wide).number();
                expect(")");
                return new Instruction(STX | ATOMIC | size.code, a.reg(), src, a.offset(), CMPXCHG);
            }
            if (n.equals("addr_space_cast")) {
                check(name, wide, "addr_space_cast writes an r register");
                expect("(");
                int src = register(true).number();
                expect(",");
                long to = number();
                expect(",");
                long from = number();
                expect(")");
                return new Instruction(cls | MOV | X, dst, src, 1, (int) ((to & 0xffff) << 16 | (from & 0xffff)));
            }
            throw error(name, "unknown operand '" + n + "'");
        }

        private Address addressWithoutParentheses() {
            int reg = register(true).number();
            Token sign = peek();
            long off = sign.is("+") || sign.is("-") ? number() : 0;
            check(sign, off >= Short.MIN_VALUE && off <= Short.MAX_VALUE, "offset out of 16-bit range");
            return new Address(reg, (int) off);
        }
    }
}
