package org.ebpf4j.isa.text.ubpf;

import org.ebpf4j.isa.Size;

/**
 * What a mnemonic stands for: the instruction it encodes to and, by its kind, the operands it takes. The
 * assembler switches over these exhaustively, so a new kind cannot be left unencoded.
 */
sealed interface Form {

    /** Slots the encoded instruction takes: 2 for lddw, 1 for everything else. */
    default int slots() {
        return 1;
    }

    /** {@code add %r0, 1} or {@code add %r0, %r1}; {@code offset} is 1 for the signed sdiv and smod. */
    record Arithmetic(int opClass, int op, int offset) implements Form {}

    /** {@code neg %r0}. */
    record Negate(int opClass) implements Form {}

    /** {@code movsx832 %r0, %r1}: mov with the source width in the offset field. */
    record SignExtend(int opClass, int bits) implements Form {}

    /** {@code be16 %r0}, {@code le32 %r0}, {@code bswap64 %r0}: the width goes in imm. */
    record ByteSwap(int opcode, int bits) implements Form {}

    /** {@code jeq %r1, 5, label}: a conditional jump against an immediate or a register. */
    record Branch(int opClass, int op) implements Form {}

    /** {@code ja label}; in class JMP32 (ja32) the displacement moves to the 32-bit imm field. */
    record Goto(int opClass) implements Form {}

    /** {@code call 5} (helper), {@code call local f} (subprogram), {@code call %r2} (callx). */
    record Call() implements Form {}

    /** {@code callx %r2}. */
    record CallRegister() implements Form {}

    record Exit() implements Form {}

    /** {@code ldxw %r0, [%r1+4]}; mode MEM zero-extends, MEMSX (ldxsw) sign-extends. */
    record Load(int mode, Size size) implements Form {}

    /** {@code stw [%r10-4], 7}. */
    record StoreImmediate(Size size) implements Form {}

    /** {@code stxw [%r10-4], %r1}. */
    record StoreRegister(Size size) implements Form {}

    /** {@code lock fetch add32 [%r10-4], %r1}: {@code operation} is the imm field (AtomicOp code | FETCH). */
    record Atomic(Size size, int operation) implements Form {}

    /** {@code lddw %r0, 0x1122334455667788}. */
    record LoadImmediate64() implements Form {
        @Override
        public int slots() {
            return 2;
        }
    }

    /** Legacy packet loads: {@code ldabsw 12} and {@code ldindw %r1, 12}. */
    record PacketLoad(int mode, Size size) implements Form {}
}
