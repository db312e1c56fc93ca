package org.ebpf4j.runtime.differential;

import static org.ebpf4j.isa.Register.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.isa.conformance.ConformanceVector;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/**
 * A conformance vector as an XDP program the kernel can load: XDP returns only 32 bits, so the vector's 64-bit r0
 * goes into the one u64 of map {@code result} and the program returns XDP_PASS.
 *
 * <p>The prologue gives the vector its contract from the packet: r1 = data (after a bounds check the kernel's
 * verifier can follow) or 0 without memory, r2 = the memory's length. Each {@code exit} of the main function becomes
 * a jump to the epilogue, which follows the main function (the kernel refuses jumps into another function), so
 * local calls and function pointers from the main function to the others grow by the epilogue's length. XDP test runs need at least an Ethernet header, so the packet is the memory padded to 14 bytes.
 */
final class ConformanceAsXdp {
    static final String PROGRAM = "vector";
    static final String RESULT_MAP = "result";
    private static final int XDP_PASS = 2;
    private static final int ETH_HLEN = 14;

    private ConformanceAsXdp() {}

    static CollectionSpec wrap(ConformanceVector vector) {
        byte[] memory = vector.memory();
        ProgramBuilder prologue = new ProgramBuilder().mov64(R6, R1);
        if (memory.length == 0) {
            prologue.mov64(R1, 0);
        } else {
            prologue.ldx(Size.W, R2, R6, 0)
                    .ldx(Size.W, R3, R6, 4)
                    .mov64(R4, R2).alu64(AluOp.ADD, R4, memory.length)
                    .jump(JumpOp.JGT, R4, R3, "short")
                    .mov64(R1, R2)
                    .ja("body")
                    .label("short")
                    .mov64(R0, 0).exit() // XDP_ABORTED: never taken, the packet is long enough
                    .label("body");
        }
        prologue.mov64(R2, memory.length);
        byte[] head = prologue.build().encode();
        byte[] tail = new ProgramBuilder()
                .stx(Size.DW, R10, -8, R0)
                .st(Size.W, R10, -12, 0)
                .lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -12)
                .call(HelperFunction.MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "done")
                .ldx(Size.DW, R1, R10, -8)
                .stx(Size.DW, R0, 0, R1)
                .label("done")
                .mov64(R0, XDP_PASS)
                .exit()
                .build().encode();
        byte[] body = vector.program().clone();
        int headSlots = head.length / 8;
        int tailSlots = tail.length / 8;
        Instructions original = vector.instructions();
        int mainEnd = mainFunctionEnd(original, body.length / 8);
        int epilogueSlot = headSlots + mainEnd;
        ByteBuffer code = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < original.size(); i++) {
            Instruction insn = original.get(i);
            int slot = original.slotOf(i);
            if (slot >= mainEnd) {
                break;
            }
            if (insn.isExit()) {
                int offset = epilogueSlot - (headSlots + slot + 1);
                code.put(slot * 8, (byte) (Opcode.JMP | Opcode.JA)).put(slot * 8 + 1, (byte) 0)
                        .putShort(slot * 8 + 2, (short) offset).putInt(slot * 8 + 4, 0);
            } else if (insn.isLocalCall() || insn.isLddw() && insn.src() == Opcode.PSEUDO_FUNC) {
                // The epilogue now sits between the main function and the callee.
                code.putInt(slot * 8 + 4, insn.imm32() + tailSlots);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head);
        all.write(body, 0, mainEnd * 8);
        all.writeBytes(tail);
        all.write(body, mainEnd * 8, body.length - mainEnd * 8);
        int mapSlot = epilogueSlot + 2; // the lddw after the two stores
        ProgramSpec program = new ProgramSpec(PROGRAM, "xdp", ProgramType.XDP, Optional.empty(), new AttachTarget.None(),
                0, "GPL", 0, Instructions.decode(all.toByteArray()),
                List.of(new ProgramSpec.MapReference(mapSlot, RESULT_MAP, false, 0)), List.of(), List.of(),
                List.of());
        MapSpec result = new MapSpec(RESULT_MAP, MapType.ARRAY, 4, 8, 1, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.LEGACY);
        return new CollectionSpec(vector.name(), Map.of(PROGRAM, program), Map.of(RESULT_MAP, result), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
    }

    /** The packet a run of the wrapped vector gets. */
    static byte[] packet(ConformanceVector vector) {
        byte[] memory = vector.memory();
        return memory.length >= ETH_HLEN ? memory.clone() : Arrays.copyOf(memory, ETH_HLEN);
    }

    /** Where the main function ends: at the first target of a local call, or at the end. */
    private static int mainFunctionEnd(Instructions program, int slots) {
        TreeSet<Integer> starts = new TreeSet<>();
        for (int i = 0; i < program.size(); i++) {
            Instruction insn = program.get(i);
            if (insn.isLocalCall()) {
                starts.add(program.slotOf(i) + 1 + insn.imm32());
            }
        }
        return starts.stream().filter(s -> s > 0).findFirst().orElse(slots);
    }
}
