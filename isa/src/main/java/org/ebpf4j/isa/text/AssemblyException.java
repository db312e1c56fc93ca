package org.ebpf4j.isa.text;

import org.ebpf4j.isa.BpfException;

/**
 * Assembly that does not assemble, in either syntax: one line naming the line number (and the column, where the
 * parser knows it), the problem, and the line as written.
 */
public final class AssemblyException extends BpfException {
    private final int line;
    private final int column;
    private final String text;

    public AssemblyException(int line, String text, String problem) {
        this(line, 0, problem, text);
    }

    /** {@code column} is 1-based; 0 when unknown. */
    public AssemblyException(int line, int column, String problem, String text) {
        super("line " + line + (column > 0 ? ", column " + column : "") + ": " + problem + ": '" + text + "'");
        this.line = line;
        this.column = column;
        this.text = text;
    }

    /** The 1-based line number in the source that was assembled. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending token, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** The offending line, without its comment. */
    public String text() {
        return text;
    }
}
