package org.ebpf4j.runtime.fuzz;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R10;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R5;
import static org.ebpf4j.isa.Register.R6;
import static org.ebpf4j.isa.Register.R7;
import static org.ebpf4j.isa.Register.R8;
import static org.ebpf4j.isa.Register.R9;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.VerifierOptions;

/**
 * Random XDP programs built from the idioms clang emits and the verifier must follow: stack spills and fills of
 * numbers and pointers, map lookups with null checks (an array and a hash map), map value accesses at constant and
 * at bounded variable offsets, packet accesses behind data_end checks (constant and variable offsets), context field
 * loads, bounded loops, range branches (JMP and JMP32, signed and unsigned) that refine bounds or prove a bad access
 * dead, 32-bit arithmetic and sign extension, and helper calls with stack and map arguments.
 *
 * <p>Most programs are meant to be accepted. A few percent of idioms are broken on purpose (an offset past the end,
 * a check dropped, a JMP32 bound on a 64-bit number, a register read before it is written), so that the verifier's
 * rules are exercised near their edges and the accepted programs include the ones it accepts by mistake.
 *
 * <p>Register conventions: r6 holds the context throughout; r7-r9 (and r0 between idioms) hold numbers; r1-r5 are
 * scratch inside an idiom. {@code leakFree} keeps map value pointers out of r0, the stack and the maps, because
 * their numeric values differ between two sets of maps (the JIT-vs-interpreter comparison loads each engine's own).
 */
final class ProgramGenerator {
    /** Spill slots: fp-8 to fp-64. Map keys at fp-72, values at fp-136 (64 bytes). */
    private static final int SPILL_SLOTS = 8;
    private static final int KEY_AT = -72;
    private static final int VALUE_AT = -136;
    private static final AluOp[] ALU_OPS = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND,
            AluOp.LSH, AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH};
    private static final JumpOp[] CONDITIONS = {JumpOp.JEQ, JumpOp.JGT, JumpOp.JGE, JumpOp.JSET, JumpOp.JNE,
            JumpOp.JSGT, JumpOp.JSGE, JumpOp.JLT, JumpOp.JLE, JumpOp.JSLT, JumpOp.JSLE};
    private static final long[] INTERESTING = {0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256, 0x7fff, 0xffff,
            Integer.MIN_VALUE, Integer.MAX_VALUE, 0xffff_ffffL, 0x8000_0000L, 0x1_0000_0000L, Long.MIN_VALUE,
            Long.MAX_VALUE};

    private final Random random;
    private final boolean leakFree;
    private final ProgramBuilder b = new ProgramBuilder();
    private final List<MapSpec> maps;
    /** Registers holding numbers the program has written. */
    private final Set<Register> numbers = EnumSet.noneOf(Register.class);
    /** What each spill slot holds: null (never written), "number" or "ctx". */
    private final String[] slots = new String[SPILL_SLOTS];
    private int labels;
    private boolean inLoop;
    /** Inside a lookup or a packet check: r0 written here holds a number on one path only. */
    private boolean guarded;

    private ProgramGenerator(Random random, boolean leakFree) {
        this.random = random;
        this.leakFree = leakFree;
        this.maps = List.of(
                map("fuzz_array", MapType.ARRAY, 4, 8 * (1 + random.nextInt(8)), 1 + random.nextInt(16)),
                map("fuzz_hash", MapType.HASH, random.nextBoolean() ? 4 : 8, 8 * (1 + random.nextInt(4)),
                        1 + random.nextInt(16)));
    }

    /** The program of one seed; the same seed always gives the same program. */
    static FuzzCase generate(long seed, boolean leakFree) {
        var generator = new ProgramGenerator(new Random(seed), leakFree);
        var program = generator.build();
        var options = new VerifierOptions(ProgramType.XDP.value(), 0, 0, true, "GPL", generator.maps);
        return new FuzzCase(String.format("generated seed=0x%x%s", seed, leakFree ? " leak-free" : ""), program,
                options);
    }

    private static MapSpec map(String name, MapType type, int keySize, int valueSize, int entries) {
        return new MapSpec(name, type, keySize, valueSize, entries, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.LEGACY);
    }

    private org.ebpf4j.isa.Instructions build() {
        b.mov64(R6, R1);
        for (Register r : new Register[] {R7, R8, R9, R0}) {
            if (!rarely(30)) {
                setNumber(r);
            }
        }
        int idioms = 3 + random.nextInt(12);
        for (int i = 0; i < idioms; i++) {
            idiom();
        }
        if (!numbers.contains(R0) && (leakFree || !rarely(50))) {
            setNumber(R0);
        }
        b.exit();
        return b.build();
    }

    private void idiom() {
        switch (random.nextInt(13)) {
            case 0, 1, 2 -> arithmetic();
            case 3 -> spillOrFill();
            case 4 -> pointerSpill();
            case 5, 6 -> mapLookup();
            case 7 -> packetAccess();
            case 8 -> contextLoad();
            case 9 -> loop();
            case 10 -> deadAccess();
            case 11 -> helperCall();
            default -> earlyExit();
        }
    }

    // Numbers.

    private void setNumber(Register r) {
        switch (random.nextInt(4)) {
            case 0 -> b.lddw(r, value());
            case 1 -> b.mov32(r, (int) value());
            case 2 -> b.ldx(Size.W, r, R6, random.nextBoolean() ? 12 : 16); // ingress_ifindex, rx_queue_index
            default -> b.mov64(r, (int) value());
        }
        numbers.add(r);
    }

    private void arithmetic() {
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            Register dst = numberRegister();
            if (leakFree && dst == R0 && !numbers.contains(R0)) {
                setNumber(R0); // r0 may still hold a map value pointer
            }
            Optional<Register> src = anyNumber();
            boolean wide = random.nextBoolean();
            switch (random.nextInt(8)) {
                case 0 -> b.movsx64(dst, src.orElse(dst), new int[] {8, 16, 32}[random.nextInt(3)]);
                case 1 -> b.movsx32(dst, src.orElse(dst), random.nextBoolean() ? 8 : 16);
                case 2 -> {
                    if (wide) b.neg64(dst); else b.neg32(dst);
                }
                case 3 -> b.byteSwap(dst, new int[] {16, 32, 64}[random.nextInt(3)]);
                case 4 -> {
                    AluOp op = random.nextBoolean() ? AluOp.DIV : AluOp.MOD;
                    if (src.isPresent() && random.nextBoolean()) {
                        if (wide) b.signed64(op, dst, src.get()); else b.signed32(op, dst, src.get());
                    } else {
                        int divisor = (int) value();
                        if (wide) b.signed64(op, dst, divisor == 0 ? 3 : divisor);
                        else b.signed32(op, dst, divisor == 0 ? 3 : divisor);
                    }
                }
                default -> {
                    AluOp op = ALU_OPS[random.nextInt(ALU_OPS.length)];
                    if (src.isPresent() && random.nextBoolean()) {
                        if (wide) b.alu64(op, dst, src.get()); else b.alu32(op, dst, src.get());
                    } else {
                        int imm = switch (op) {
                            case LSH, RSH, ARSH -> rarely(40) ? 64 : random.nextInt(wide ? 64 : 32);
                            case DIV, MOD -> rarely(40) ? 0 : 1 + random.nextInt(100);
                            default -> (int) value();
                        };
                        if (wide) b.alu64(op, dst, imm); else b.alu32(op, dst, imm);
                    }
                }
            }
            numbers.add(dst);
        }
    }

    // The stack.

    private void spillOrFill() {
        int slot = random.nextInt(SPILL_SLOTS);
        int at = -8 * (slot + 1);
        Optional<Register> src = anyNumber();
        if (random.nextBoolean() && src.isPresent()) {
            Size size = size();
            b.stx(size, R10, at + (8 - size.bytes) * (rarely(10) ? random.nextInt(2) : 0), src.get());
            slots[slot] = "number";
        } else if (random.nextInt(3) == 0) {
            b.st(size(), R10, at, (int) value());
            slots[slot] = "number";
        } else {
            // A fill: of a slot holding a number or the context, or one never written (privileged: a number).
            Register dst = numberRegister();
            if ("ctx".equals(slots[slot])) {
                b.ldx(Size.DW, R1, R10, at);
                b.ldx(Size.W, dst, R1, random.nextBoolean() ? 12 : 16);
            } else if (random.nextBoolean()) {
                b.ldxsx(new Size[] {Size.B, Size.H, Size.W}[random.nextInt(3)], dst, R10, at);
            } else {
                b.ldx(size(), dst, R10, at);
            }
            numbers.add(dst);
        }
    }

    private void pointerSpill() {
        int slot = random.nextInt(SPILL_SLOTS);
        int at = -8 * (slot + 1);
        b.stx(Size.DW, R10, at, R6);
        slots[slot] = "ctx";
        b.ldx(Size.DW, R2, R10, rarely(20) ? at + 4 : at);
        Register dst = numberRegister();
        b.ldx(Size.W, dst, R2, rarely(20) ? 20 : 12);
        numbers.add(dst);
    }

    // Maps.

    private void mapLookup() {
        int index = random.nextInt(maps.size());
        MapSpec map = maps.get(index);
        writeKey(map);
        b.lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, index);
        b.mov64(R2, R10);
        b.alu64(AluOp.ADD, R2, KEY_AT);
        b.call(HelperFunction.MAP_LOOKUP_ELEM.value());
        clobberCallerSaved();
        String end = label();
        if (!leakFree && random.nextInt(4) == 0) {
            // Spilled before the check: the check must reach the copy on the stack (same id).
            int slot = random.nextInt(SPILL_SLOTS);
            b.stx(Size.DW, R10, -8 * (slot + 1), R0);
            slots[slot] = "value";
            b.jump(JumpOp.JEQ, R0, 0, end);
            b.ldx(Size.DW, R0, R10, -8 * (slot + 1));
        } else if (random.nextBoolean()) {
            b.jump(JumpOp.JEQ, R0, 0, end);
        } else if (!rarely(12)) {
            // "if r0 != 0 goto body; goto end; body:" (otherwise no check at all)
            String body = label();
            b.jump(JumpOp.JNE, R0, 0, body);
            b.ja(end);
            b.label(body);
        }
        int accesses = 1 + random.nextInt(3);
        guarded = true;
        for (int i = 0; i < accesses; i++) {
            valueAccess(map, end);
        }
        guarded = false;
        b.label(end);
        numbers.remove(R0);
    }

    private void writeKey(MapSpec map) {
        Optional<Register> src = anyNumber();
        if (src.isPresent() && random.nextBoolean()) {
            if (random.nextBoolean()) {
                // A bounded number as the key: in range, or past it for the array.
                b.mov64(R3, src.get());
                b.alu64(AluOp.AND, R3, Integer.highestOneBit(map.maxEntries() + 1) * 2 - 1);
                b.stx(Size.ofBytes(map.keySize()), R10, KEY_AT, R3);
            } else {
                b.stx(Size.ofBytes(map.keySize()), R10, KEY_AT, src.get());
            }
        } else if (!rarely(30)) {
            b.st(Size.ofBytes(map.keySize()), R10, KEY_AT, random.nextInt(map.maxEntries() + 2));
        }
        // else: the key is whatever the stack holds (privileged programs may pass unwritten stack).
    }

    /** One access to the value in r0 (non-NULL on this path), at a constant or a bounded variable offset. */
    private void valueAccess(MapSpec map, String end) {
        int valueSize = map.valueSize();
        Size size = size();
        int offset = rarely(15) ? valueSize - size.bytes + 1 + random.nextInt(8)
                : random.nextInt(valueSize - size.bytes + 1);
        switch (random.nextInt(7)) {
            case 6 -> computedAccess(valueSize, size, end);
            case 0, 1 -> {
                Register dst = numberRegister();
                if (size != Size.DW && random.nextInt(3) == 0) b.ldxsx(size, dst, R0, offset);
                else b.ldx(size, dst, R0, offset);
                numbers.add(dst);
            }
            case 2 -> {
                Optional<Register> src = numberBesideValue();
                if (src.isPresent()) b.stx(size, R0, offset, src.get()); else b.st(size, R0, offset, (int) value());
            }
            case 3 -> {
                Optional<Register> src = numberBesideValue();
                if (src.isPresent()) {
                    AtomicOp op = new AtomicOp[] {AtomicOp.ADD, AtomicOp.OR, AtomicOp.AND, AtomicOp.XOR}[
                            random.nextInt(4)];
                    Size atomicSize = random.nextBoolean() ? Size.DW : Size.W;
                    int aligned = Math.max(0, offset - offset % atomicSize.bytes);
                    // A fetching atomic writes the old value into its source: copy the number first.
                    b.mov64(R4, src.get());
                    b.atomic(atomicSize, op, random.nextBoolean(), R0, Math.min(aligned,
                            valueSize - atomicSize.bytes), R4);
                }
            }
            default -> variableAccess(valueSize, size, end);
        }
    }

    /** {@code r3 = number; bound r3; r3 += r0; access *(r3 + 0)}: the bound comes from an AND or a branch. */
    private void variableAccess(int valueSize, Size size, String end) {
        Optional<Register> src = numberBesideValue();
        if (src.isEmpty()) {
            return;
        }
        int limit = valueSize - size.bytes; // the largest offset that fits
        b.mov64(R3, src.get());
        switch (random.nextInt(6)) {
            case 0 -> b.alu64(AluOp.AND, R3, Integer.highestOneBit(Math.max(1, limit + 1)) - 1 + (rarely(15) ? 8 : 0));
            case 1 -> b.jump(JumpOp.JGT, R3, limit + (rarely(15) ? 1 : 0), end);
            case 2 -> b.jump(JumpOp.JGE, R3, limit + 1, end);
            case 3 -> {
                // Signed bounds need both ends.
                b.jump(JumpOp.JSGT, R3, limit, end);
                if (!rarely(10)) b.jump(JumpOp.JSLT, R3, 0, end);
            }
            case 4 -> {
                // A 32-bit bound holds only for a 32-bit number.
                if (!rarely(8)) b.mov32(R3, R3);
                b.jump32(JumpOp.JGT, R3, limit, end);
            }
            default -> {
                b.mov64(R4, limit);
                b.jump(random.nextBoolean() ? JumpOp.JLT : JumpOp.JGT, R4, R3, end);
            }
        }
        b.alu64(AluOp.ADD, R3, R0);
        if (random.nextBoolean()) {
            Register dst = numberRegister();
            b.ldx(size, dst, R3, 0);
            numbers.add(dst);
        } else {
            b.st(size, R3, 0, (int) value());
        }
    }

    /**
     * A number bounded by a branch, then transformed by one or two ALU operations (the verifier must follow each
     * one's bounds exactly), maybe bounded again, then used as an offset from either end of the value.
     */
    private void computedAccess(int valueSize, Size size, String end) {
        Optional<Register> src = numberBesideValue();
        if (src.isEmpty()) {
            return;
        }
        b.mov64(R3, src.get());
        condition(R3, random.nextInt(2 * valueSize + 2) - 2, end);
        int ops = 1 + random.nextInt(2);
        for (int i = 0; i < ops; i++) {
            boolean wide = random.nextBoolean();
            switch (random.nextInt(9)) {
                case 0 -> { if (wide) b.alu64(AluOp.LSH, R3, random.nextInt(4)); else b.alu32(AluOp.LSH, R3, random.nextInt(4)); }
                case 1 -> { if (wide) b.alu64(AluOp.RSH, R3, random.nextInt(4)); else b.alu32(AluOp.RSH, R3, random.nextInt(4)); }
                case 2 -> { if (wide) b.alu64(AluOp.ARSH, R3, random.nextInt(4)); else b.alu32(AluOp.ARSH, R3, random.nextInt(4)); }
                case 3 -> { if (wide) b.alu64(AluOp.AND, R3, random.nextInt(64)); else b.alu32(AluOp.AND, R3, random.nextInt(64)); }
                case 4 -> { if (wide) b.alu64(AluOp.ADD, R3, random.nextInt(17) - 8); else b.alu32(AluOp.ADD, R3, random.nextInt(17) - 8); }
                case 5 -> { if (wide) b.alu64(AluOp.MUL, R3, random.nextInt(4)); else b.alu32(AluOp.MUL, R3, random.nextInt(4)); }
                case 6 -> b.movsx64(R3, R3, random.nextBoolean() ? 8 : 16);
                case 7 -> { if (wide) b.neg64(R3); else b.neg32(R3); }
                default -> { if (wide) b.alu64(AluOp.SUB, R3, random.nextInt(9)); else b.mov32(R3, R3); }
            }
            if (random.nextInt(3) == 0) {
                condition(R3, random.nextInt(2 * valueSize + 2) - 2, end);
            }
        }
        if (random.nextBoolean()) {
            b.alu64(AluOp.ADD, R3, R0);
            b.ldx(size, R4, R3, random.nextInt(9) - 4);
        } else {
            b.mov64(R4, R0);
            b.alu64(random.nextBoolean() ? AluOp.ADD : AluOp.SUB, R4, R3);
            b.st(size, R4, random.nextInt(valueSize + 1), (int) value());
        }
    }

    private void helperCall() {
        int index = random.nextInt(maps.size());
        MapSpec map = maps.get(index);
        switch (random.nextInt(leakFree ? 3 : 4)) {
            case 0 -> {
                writeKey(map);
                Optional<Register> src = anyNumber();
                for (int at = 0; at < map.valueSize(); at += 8) {
                    if (src.isPresent() && random.nextBoolean()) b.stx(Size.DW, R10, VALUE_AT + at, src.get());
                    else if (!rarely(20)) b.st(Size.DW, R10, VALUE_AT + at, (int) value());
                }
                b.lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, index);
                b.mov64(R2, R10);
                b.alu64(AluOp.ADD, R2, KEY_AT);
                b.mov64(R3, R10);
                b.alu64(AluOp.ADD, R3, VALUE_AT);
                b.mov64(R4, random.nextInt(3)); // BPF_ANY, BPF_NOEXIST, BPF_EXIST
                b.call(HelperFunction.MAP_UPDATE_ELEM.value());
            }
            case 1 -> {
                writeKey(map);
                b.lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, index);
                b.mov64(R2, R10);
                b.alu64(AluOp.ADD, R2, KEY_AT);
                b.call(HelperFunction.MAP_DELETE_ELEM.value());
            }
            case 2 -> b.call(HelperFunction.GET_SMP_PROCESSOR_ID.value());
            default -> b.call(HelperFunction.GET_PRANDOM_U32.value());
        }
        clobberCallerSaved();
        numbers.add(R0);
    }

    // The packet and the context.

    private void packetAccess() {
        int window = 1 + random.nextInt(64);
        String end = label();
        b.ldx(Size.W, R2, R6, 0); // data
        b.ldx(Size.W, R3, R6, 4); // data_end
        if (random.nextInt(4) == 0) {
            // A variable start: one packet byte moves the pointer, then a fresh check bounds the window.
            b.mov64(R4, R2);
            b.alu64(AluOp.ADD, R4, 1);
            b.jump(JumpOp.JGT, R4, R3, end);
            b.ldx(Size.B, R5, R2, 0);
            b.alu64(AluOp.ADD, R2, R5);
        }
        b.mov64(R4, R2);
        b.alu64(AluOp.ADD, R4, window);
        switch (random.nextInt(rarely(20) ? 5 : 4)) {
            case 0 -> b.jump(JumpOp.JGT, R4, R3, end);
            case 1 -> b.jump(JumpOp.JLT, R3, R4, end);
            case 2 -> {
                String body = label();
                b.jump(JumpOp.JLE, R4, R3, body);
                b.ja(end);
                b.label(body);
            }
            case 3 -> b.jump(JumpOp.JGE, R4, R3, end); // one byte less proven: r4 < r3
            default -> b.jump32(JumpOp.JGT, R4, R3, end); // no proof at all
        }
        int accesses = 1 + random.nextInt(3);
        guarded = true;
        for (int i = 0; i < accesses; i++) {
            Size size = size();
            int offset = rarely(12) ? window - size.bytes + 1 : random.nextInt(Math.max(1, window - size.bytes + 1));
            if (random.nextInt(3) > 0) {
                Register dst = numberRegister();
                b.ldx(size, dst, R2, offset);
                numbers.add(dst);
            } else {
                Optional<Register> src = anyNumber();
                if (src.isPresent()) b.stx(size, R2, offset, src.get()); else b.st(size, R2, offset, (int) value());
            }
        }
        guarded = false;
        b.label(end);
    }

    private void contextLoad() {
        Register dst = numberRegister();
        int offset = rarely(15) ? new int[] {2, 20, 24, 8}[random.nextInt(4)] : random.nextBoolean() ? 12 : 16;
        b.ldx(rarely(15) ? Size.DW : Size.W, dst, R6, offset);
        numbers.add(dst);
    }

    // Control flow.

    private void loop() {
        if (inLoop) {
            arithmetic();
            return;
        }
        inLoop = true;
        numbers.remove(R9);
        if (leakFree) {
            numbers.remove(R0); // the back edge may bring a map value pointer in r0 to the body's first use
        }
        String head = label();
        int bound = 1 + random.nextInt(rarely(20) ? 300 : 10);
        boolean narrow = random.nextBoolean();
        if (narrow) b.mov32(R9, 0); else b.mov64(R9, 0);
        b.label(head);
        int body = 1 + random.nextInt(3);
        for (int i = 0; i < body; i++) {
            // Lookups in long loops cost ebpf4j's verifier 2^iterations paths (no liveness to prune the joins).
            if (bound <= 4 && rarely(4)) mapLookup(); else arithmetic();
        }
        if (narrow) b.alu32(AluOp.ADD, R9, 1); else b.alu64(AluOp.ADD, R9, 1);
        JumpOp op = new JumpOp[] {JumpOp.JLT, JumpOp.JNE, JumpOp.JSLT, JumpOp.JLE}[random.nextInt(4)];
        if (narrow) b.jump32(op, R9, bound, head); else b.jump(op, R9, bound, head);
        inLoop = false;
        numbers.add(R9);
    }

    /**
     * Two branches on one number that make a bad access dead, or leave a path to it: the verifier accepts only
     * when its ranges prove the access unreachable; if it is wrong, the run reaches the access and faults.
     */
    private void deadAccess() {
        Optional<Register> src = anyNumber();
        if (src.isEmpty()) {
            return;
        }
        String skip = label();
        long c1 = value();
        long c2 = random.nextBoolean() ? c1 + random.nextInt(5) - 2 : value();
        condition(src.get(), (int) c1, skip);
        condition(src.get(), (int) c2, skip);
        b.mov64(R1, 0);
        b.ldx(Size.B, R1, R1, 0); // a NULL dereference: only a dead path may hold it
        b.label(skip);
    }

    private void condition(Register r, int imm, String target) {
        JumpOp op = CONDITIONS[random.nextInt(CONDITIONS.length)];
        if (random.nextBoolean()) b.jump(op, r, imm, target); else b.jump32(op, r, imm, target);
    }

    private void earlyExit() {
        Optional<Register> src = anyNumber();
        if (src.isEmpty() || inLoop) {
            return;
        }
        String skip = label();
        condition(src.get(), (int) value(), skip);
        b.mov64(R0, anyNumber().orElse(src.get()));
        b.exit();
        b.label(skip);
    }

    // Choices.

    private void clobberCallerSaved() {
        numbers.removeAll(List.of(R1, R2, R3, R4, R5));
    }

    /** A register to write a number into: r7-r9 mostly, r0 sometimes, never the loop counter. */
    private Register numberRegister() {
        if (guarded && leakFree) {
            return inLoop ? new Register[] {R7, R8}[random.nextInt(2)] : new Register[] {R7, R8, R9}[random.nextInt(3)];
        }
        Register[] choices = inLoop ? new Register[] {R0, R7, R8} : new Register[] {R0, R7, R8, R9};
        return choices[random.nextInt(choices.length)];
    }

    /** A register holding a number, mostly; now and then one that may not be written yet. */
    private Optional<Register> anyNumber() {
        List<Register> pool = new ArrayList<>(numbers);
        pool.retainAll(List.of(R0, R7, R8, R9));
        if (rarely(60)) {
            Register any = new Register[] {R0, R7, R8, R9}[random.nextInt(4)];
            if (!leakFree || any != R0 || numbers.contains(R0)) {
                return Optional.of(any); // r0 may hold a pointer: only where pointers may leak
            }
        }
        return pool.isEmpty() ? Optional.empty() : Optional.of(pool.get(random.nextInt(pool.size())));
    }

    /** As {@link #anyNumber}, but never r0, which holds the map value pointer inside a lookup. */
    private Optional<Register> numberBesideValue() {
        return anyNumber().filter(r -> r != R0).or(() -> Optional.of(R7).filter(numbers::contains));
    }

    private Size size() {
        return Size.values()[random.nextInt(4)];
    }

    private long value() {
        return switch (random.nextInt(3)) {
            case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
            case 1 -> random.nextInt(64) - 8;
            default -> random.nextLong();
        };
    }

    private boolean rarely(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    private String label() {
        return "l" + labels++;
    }
}
