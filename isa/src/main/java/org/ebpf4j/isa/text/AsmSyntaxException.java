package org.ebpf4j.isa.text;

import org.ebpf4j.isa.BpfException;

/** Assembler input that does not parse, or names a label that does not exist; says where. */
public final class AsmSyntaxException extends BpfException {
    private final int line;
    private final int column;

    public AsmSyntaxException(int line, int column, String problem, String text) {
        super("line " + line + ", column " + column + ": " + problem + "\n  " + text);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the input. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }
}
