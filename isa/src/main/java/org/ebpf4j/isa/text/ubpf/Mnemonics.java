package org.ebpf4j.isa.text.ubpf;

import static org.ebpf4j.isa.Opcode.*;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Size;

/**
 * The mnemonics of the uBPF assembler dialect that the RFC 9669 conformance suite is written in. 64-bit
 * operations carry no suffix and 32-bit ones a {@code 32} suffix ({@code add}, {@code add32}); sizes of loads and
 * stores are the letters b, h, w, dw. Atomic operations are the two- or three-word mnemonics
 * {@code lock [fetch] op[32]}.
 */
final class Mnemonics {
    private Mnemonics() {}

    private static final Map<String, Form> TABLE = build();

    /** The form of a mnemonic (lower case, atomic ones with single spaces), or null when there is none. */
    static Form lookup(String mnemonic) {
        return TABLE.get(mnemonic);
    }

    /** Every mnemonic, sorted: for documentation and for tests that check the table's coverage. */
    static Map<String, Form> all() {
        return Collections.unmodifiableMap(TABLE);
    }

    private static Map<String, Form> build() {
        Map<String, Form> t = new TreeMap<>();
        Map<String, Integer> arithmetic = Map.ofEntries(Map.entry("add", ADD), Map.entry("sub", SUB),
                Map.entry("mul", MUL), Map.entry("div", DIV), Map.entry("or", OR), Map.entry("and", AND),
                Map.entry("lsh", LSH), Map.entry("rsh", RSH), Map.entry("mod", MOD), Map.entry("xor", XOR),
                Map.entry("mov", MOV), Map.entry("arsh", ARSH));
        arithmetic.forEach((name, op) -> {
            t.put(name, new Form.Arithmetic(ALU64, op, 0));
            t.put(name + "32", new Form.Arithmetic(ALU, op, 0));
        });
        // Signed division and modulo are DIV and MOD with offset 1 (RFC 9669 section 4.1).
        t.put("sdiv", new Form.Arithmetic(ALU64, DIV, 1));
        t.put("sdiv32", new Form.Arithmetic(ALU, DIV, 1));
        t.put("smod", new Form.Arithmetic(ALU64, MOD, 1));
        t.put("smod32", new Form.Arithmetic(ALU, MOD, 1));
        t.put("neg", new Form.Negate(ALU64));
        t.put("neg32", new Form.Negate(ALU));
        // movsx<from><to>: the source width goes into the offset; a 32-bit move cannot extend from 32 bits.
        for (int from : new int[] {8, 16, 32}) {
            t.put("movsx" + from + "64", new Form.SignExtend(ALU64, from));
            if (from < 32) {
                t.put("movsx" + from + "32", new Form.SignExtend(ALU, from));
            }
        }
        for (int bits : new int[] {16, 32, 64}) {
            t.put("le" + bits, new Form.ByteSwap(ALU | END | TO_LE, bits));
            t.put("be" + bits, new Form.ByteSwap(ALU | END | TO_BE, bits));
            // The unconditional swap is ALU64 | END with the source bit clear; the suite spells it both ways.
            t.put("bswap" + bits, new Form.ByteSwap(ALU64 | END | K, bits));
            t.put("swap" + bits, new Form.ByteSwap(ALU64 | END | K, bits));
        }
        Map<String, Integer> branches = Map.ofEntries(Map.entry("jeq", JEQ), Map.entry("jgt", JGT),
                Map.entry("jge", JGE), Map.entry("jlt", JLT), Map.entry("jle", JLE), Map.entry("jset", JSET),
                Map.entry("jne", JNE), Map.entry("jsgt", JSGT), Map.entry("jsge", JSGE), Map.entry("jslt", JSLT),
                Map.entry("jsle", JSLE));
        branches.forEach((name, op) -> {
            t.put(name, new Form.Branch(JMP, op));
            t.put(name + "32", new Form.Branch(JMP32, op));
        });
        t.put("ja", new Form.Goto(JMP));
        t.put("ja32", new Form.Goto(JMP32));
        t.put("call", new Form.Call());
        t.put("callx", new Form.CallRegister());
        t.put("exit", new Form.Exit());
        t.put("lddw", new Form.LoadImmediate64());
        for (Size size : Size.values()) {
            String suffix = size.name().toLowerCase(java.util.Locale.ROOT);
            t.put("ldx" + suffix, new Form.Load(MEM, size));
            t.put("st" + suffix, new Form.StoreImmediate(size));
            t.put("stx" + suffix, new Form.StoreRegister(size));
            // Sign extension from 64 bits means nothing, and the legacy packet loads never had a DW form.
            if (size != Size.DW) {
                t.put("ldxs" + suffix, new Form.Load(MEMSX, size));
                t.put("ldabs" + suffix, new Form.PacketLoad(ABS, size));
                t.put("ldind" + suffix, new Form.PacketLoad(IND, size));
            }
        }
        for (AtomicOp op : AtomicOp.values()) {
            String name = op.name().toLowerCase(java.util.Locale.ROOT);
            if (op.fetchIsOptional()) {
                t.put("lock " + name, new Form.Atomic(Size.DW, op.code));
                t.put("lock " + name + "32", new Form.Atomic(Size.W, op.code));
                t.put("lock fetch " + name, new Form.Atomic(Size.DW, op.code | FETCH));
                t.put("lock fetch " + name + "32", new Form.Atomic(Size.W, op.code | FETCH));
            } else {
                // xchg and cmpxchg always return the old value; their code already includes FETCH.
                t.put("lock " + name, new Form.Atomic(Size.DW, op.code));
                t.put("lock " + name + "32", new Form.Atomic(Size.W, op.code));
            }
        }
        return t;
    }
}
