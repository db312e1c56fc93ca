package org.ebpf4j.isa.text;

/**
 * The two spellings the {@link Disassembler} writes. They agree on every well-formed instruction except the few
 * where llvm-objdump's text drops a field; {@link Assembler} reads both.
 */
public enum Syntax {
    /**
     * Exactly what {@code llvm-objdump-19 -d} prints for BPF (default subtarget, no {@code --mattr}), including its
     * leniency: fields its decoder ignores are not printed, and encodings it cannot decode read {@code <unknown>}.
     * Lossy for local and kfunc calls (both print as {@code call imm}), for 32-bit atomics other than a plain add,
     * for {@code LD_IND} with a non-zero immediate and for the upper half of a pseudo {@code lddw}.
     */
    LLVM_OBJDUMP,

    /**
     * llvm-objdump's text where it is faithful, and distinct spellings where it is not, so that assembling the text
     * gives back the same instruction for every encoding:
     * <ul>
     *   <li>{@code call pc+0x5} for a local (bpf-to-bpf) call, as the kernel's verifier log writes it;</li>
     *   <li>{@code call kfunc 0x5} for a kernel-function call;</li>
     *   <li>LLVM's alu32 spelling for 32-bit atomics ({@code w2 = atomic_fetch_add((u32 *)(r1 - 0x8), w2)},
     *       {@code lock *(u32 *)(r1 + 0x0) |= w2}, {@code xchg32_32}, {@code cmpxchg32_32});</li>
     *   <li>{@code r0 = *(u8 *)skb[r3 + 0x4]} for an indirect packet load with an immediate;</li>
     *   <li>a fourth operand {@code ld_pseudo r1, 0x2, 0x5, 0x10} for the upper immediate of a pseudo lddw;</li>
     *   <li>{@code .insn opcode, dst, src, off, imm} for any encoding that breaks
     *       {@link org.ebpf4j.isa.InstructionRules}.</li>
     * </ul>
     */
    LOSSLESS
}
