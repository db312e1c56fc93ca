package org.ebpf4j.verifier.cfg;

import static org.ebpf4j.isa.Opcode.*;

/**
 * The opcodes the kernel knows (its BPF_INSN_MAP, bpf_opcode_in_insntable): anything else is "unknown opcode"
 * before any other check. Knowing an opcode says nothing about its other fields; the walk checks those.
 */
final class OpcodeTable {
    private OpcodeTable() {}

    /** JMP | 0xe0: may_goto (BPF_JCOND), a kernel extension outside RFC 9669. */
    static final int JCOND = 0xe0;

    private static final boolean[] KNOWN = build();

    static boolean isKnown(int opcode) {
        return KNOWN[opcode & 0xff];
    }

    private static boolean[] build() {
        boolean[] t = new boolean[256];
        for (int op = ADD; op <= END; op += 0x10) {
            t[ALU | op | K] = true;
            t[ALU | op | X] = true;
            t[ALU64 | op | K] = true;
            if (op != END) {
                t[ALU64 | op | X] = true;
            }
        }
        for (int op : new int[] {JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE}) {
            t[JMP | op | K] = true;
            t[JMP | op | X] = true;
            t[JMP32 | op | K] = true;
            t[JMP32 | op | X] = true;
        }
        t[JMP | JA] = true;
        t[JMP32 | JA] = true;
        t[JMP | CALL] = true;
        t[JMP | EXIT] = true;
        t[JMP | JCOND] = true;
        for (int size : new int[] {B, H, W, DW}) {
            t[LDX | MEM | size] = true;
            t[STX | MEM | size] = true;
            t[ST | MEM | size] = true;
            // 6.18 has byte and halfword atomics for load-acquire and store-release.
            t[STX | ATOMIC | size] = true;
            if (size != DW) {
                t[LDX | MEMSX | size] = true;
                t[LD | ABS | size] = true;
                t[LD | IND | size] = true;
            }
        }
        t[LDDW] = true;
        return t;
    }
}
