package org.ebpf4j.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;

/** Relocates every function of an object and checks each instruction against what libbpf logged for it. */
final class LibbpfComparison {
    private LibbpfComparison() {
    }

    /** Returns how many logged patches were checked. */
    static int assertSameAsLibbpf(CoreObject object, Btf target, LibbpfLog log) {
        CoreRelocator relocator = new CoreRelocator(object.btf(), target);
        int checked = 0;
        for (String program : log.patchesByProgram().keySet()) {
            assertTrue(object.functions().stream().anyMatch(f -> f.name().equals(program)),
                    "libbpf logged program " + program + " which the object does not have");
        }
        for (CoreObject.Function function : object.functions()) {
            if (function.relocations().isEmpty()) {
                continue;
            }
            Instructions before = function.instructions();
            Instructions after = relocator.relocate(before, function.relocations());
            assertEquals(before.slotCount(), after.slotCount(), function.name() + ": slots must not move");
            Set<Integer> logged = new HashSet<>();
            for (LibbpfLog.Patch patch : log.patches(function.name())) {
                String where = function.name() + " insn " + patch.insn() + ": " + patch;
                logged.add(patch.insn());
                switch (patch) {
                    case LibbpfLog.Value value -> {
                        assertEquals(value.before(), field(before.at(value.insn()), value.form()), where + " (before)");
                        assertEquals(value.after(), field(after.at(value.insn()), value.form()), where + " (after)");
                    }
                    case LibbpfLog.Width width -> {
                        assertEquals(width.before(), Opcode.sizeBytes(before.at(width.insn()).opcode()), where);
                        assertEquals(width.after(), Opcode.sizeBytes(after.at(width.insn()).opcode()), where);
                    }
                    case LibbpfLog.Poison poison -> {
                        Instruction call = after.at(poison.insn());
                        assertTrue(call.isHelperCall() && call.imm() == CoreRelocator.POISON_HELPER_ID,
                                where + ": got " + call);
                    }
                }
                checked++;
            }
            byte[] original = before.encode();
            byte[] relocated = after.encode();
            for (int slot = 0; slot < before.slotCount(); slot++) {
                int from = slot * Instruction.SIZE;
                boolean changed = !Arrays.equals(original, from, from + Instruction.SIZE, relocated, from,
                        from + Instruction.SIZE);
                assertTrue(!changed || logged.contains(slot) || logged.contains(slot - 1),
                        function.name() + ": slot " + slot + " changed but libbpf did not change it");
            }
        }
        return checked;
    }

    /** The field libbpf prints, as it prints it: ALU imm as u32, LDX/ST/STX offset, lddw imm as u64. */
    private static long field(Instruction insn, String form) {
        return switch (form) {
            case "ALU/ALU64" -> Integer.toUnsignedLong(insn.imm32());
            case "LDX/ST/STX" -> insn.offset();
            case "LDIMM64" -> insn.imm();
            default -> throw new IllegalArgumentException("unknown form " + form);
        };
    }
}
