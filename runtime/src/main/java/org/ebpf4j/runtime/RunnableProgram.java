package org.ebpf4j.runtime;

import org.ebpf4j.api.Program;

/** A program loaded into this JVM: what prog arrays hold and tail calls run. */
public interface RunnableProgram extends Program {
    /** The prepared code. */
    Executable executable();

    /** A number naming the program while the JVM runs, as the kernel's program ids do (never 0). */
    int id();
}
