package org.ebpf4j.isa.text;

import java.util.ArrayList;
import java.util.List;

/** A word, number or operator of one assembler line, with its 1-based column. */
record Token(Kind kind, String text, int column) {
    enum Kind { WORD, NUMBER, OPERATOR, END }

    // Longest first, so that "<<=" wins over "<=" and "<".
    private static final List<String> OPERATORS = List.of("s>>=", "<<=", ">>=", "s>=", "s<=", "s/=", "s%=", "s>", "s<",
            "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "|=", "&=", "%=", "^=",
            "<", ">", "=", "&", "(", ")", "[", "]", ",", "*", "+", "-", ":");

    boolean is(String s) {
        return kind != Kind.END && text.equals(s);
    }

    static List<Token> split(String line, int lineNumber, String original) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            String op = operatorAt(line, i);
            if (op != null) {
                out.add(new Token(Kind.OPERATOR, op, i + 1));
                i += op.length();
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                int start = i;
                while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
                        || line.charAt(i) == '.')) {
                    i++;
                }
                Kind kind = Character.isDigit(c) ? Kind.NUMBER : Kind.WORD;
                out.add(new Token(kind, line.substring(start, i), start + 1));
            } else {
                throw new AssemblyException(lineNumber, i + 1, "unexpected character '" + c + "'", original);
            }
        }
        out.add(new Token(Kind.END, "end of line", line.length() + 1));
        return out;
    }

    private static String operatorAt(String line, int i) {
        for (String op : OPERATORS) {
            if (line.startsWith(op, i)) {
                // "s>" is signed only when the s stands alone, not at the end of a word such as a label.
                boolean wordBefore = i > 0 && (Character.isLetterOrDigit(line.charAt(i - 1)) || line.charAt(i - 1) == '_');
                if (op.startsWith("s") && wordBefore) {
                    continue;
                }
                return op;
            }
        }
        return null;
    }
}
