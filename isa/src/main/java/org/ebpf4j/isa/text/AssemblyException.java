package org.ebpf4j.isa.text;

import org.ebpf4j.isa.BpfException;

/** A line of assembly that does not assemble: names the line number, the line as written, and the problem. */
public final class AssemblyException extends BpfException {
    private final int line;
    private final String text;

    public AssemblyException(int line, String text, String problem) {
        super("line " + line + ": " + problem + ": '" + text + "'");
        this.line = line;
        this.text = text;
    }

    /** The 1-based line number in the source that was assembled. */
    public int line() {
        return line;
    }

    /** The offending line, without its comment. */
    public String text() {
        return text;
    }
}
