package org.ebpf4j.runtime.jit;

import java.lang.classfile.CodeBuilder;

/**
 * How emitted code pushes an instruction's operands, which the instruction emitters ({@link MethodEmitter},
 * {@link AluEmitter}, {@link MemoryEmitter}) share: a register is a long local, or inside a counted loop the loop's
 * int counter widened; an immediate is a constant, or blinded with the program's key.
 */
interface Operands {
    /** Pushes the value of the register held in {@code local} as a long. */
    CodeBuilder register(CodeBuilder code, int local);

    /** Pushes an immediate of the program as a long. */
    CodeBuilder immediate(CodeBuilder code, long value);
}
