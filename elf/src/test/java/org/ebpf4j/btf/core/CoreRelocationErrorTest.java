package org.ebpf4j.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.ProgramSpec.CoreRelocation;
import org.junit.jupiter.api.Test;

/** Relocations that must fail, each with its exact message; libbpf refuses the two ambiguous fixtures too. */
class CoreRelocationErrorTest {

    private static CoreRelocationException relocate(String object, String function) {
        CoreObject.Function f = CoreObject.resource("core/obj/" + object).function(function);
        CoreRelocator relocator = new CoreRelocator(CoreObject.resource("core/obj/" + object).btf(),
                CoreObject.targetBtf());
        return assertThrows(CoreRelocationException.class, () -> relocator.relocate(f.instructions(),
                f.relocations()));
    }

    @Test
    void candidatesDisagreeingOnTheOffsetAreAmbiguous() {
        CoreRelocationException e = relocate("ambiguous.o", "ambiguous");
        assertEquals("insn 3: CO-RE FIELD_BYTE_OFFSET relocation of type 5 (STRUCT 'amb') at access string '0:0': "
                + "ambiguous candidates: type 39 (STRUCT 'amb___a') puts the field at bit 32, type 45 "
                + "(STRUCT 'amb___b') at bit 0", e.getMessage());
        assertEquals(3, e.slot());
        assertEquals(CoreReloKind.FIELD_BYTE_OFFSET, e.kind());
        assertTrue(LibbpfLog.read("ambiguous.target.txt").patchesByProgram().isEmpty(), "libbpf failed as well");
    }

    @Test
    void candidatesDisagreeingOnTheValueAreAmbiguous() {
        CoreRelocationException e = relocate("ambiguous_size.o", "ambiguous_size");
        assertEquals("insn 0: CO-RE TYPE_SIZE relocation of type 5 (STRUCT 'cred_size') at access string '0': "
                + "ambiguous candidates: type 41 (STRUCT 'cred_size___v1') gives 4, type 43 "
                + "(STRUCT 'cred_size___v2') gives 8", e.getMessage());
    }

    @Test
    void instructionNotHoldingTheLocalValueIsRefused() {
        CoreObject object = CoreObject.resource("core/obj/local.o");
        CoreObject.Function f = object.function("fields");
        CoreRelocation first = f.relocations().getFirst();
        List<Instruction> tampered = new ArrayList<>(f.instructions().asList());
        int index = indexOfSlot(f.instructions(), first.slot());
        Instruction original = tampered.get(index);
        tampered.set(index, new Instruction(original.opcode(), original.dst(), original.src(), original.offset(), 7));
        CoreRelocator relocator = new CoreRelocator(object.btf(), CoreObject.targetBtf());
        CoreRelocationException e = assertThrows(CoreRelocationException.class,
                () -> relocator.relocate(Instructions.of(tampered), List.of(first)));
        assertEquals("insn 9: CO-RE FIELD_BYTE_OFFSET relocation of type 5 (STRUCT 'task_struct') at access string "
                + "'0:0': the instruction's immediate is 7 but the object's BTF gives 0 (ALU64 opcode 0xb7)",
                e.getMessage());
    }

    @Test
    void accessStringThatDoesNotFitTheLocalTypeIsRefused() {
        CoreObject object = CoreObject.resource("core/obj/local.o");
        CoreObject.Function f = object.function("fields");
        CoreRelocation first = f.relocations().getFirst();
        CoreRelocator relocator = new CoreRelocator(object.btf(), CoreObject.targetBtf());
        List<String> messages = new ArrayList<>();
        for (String access : List.of("0:99", "0:0:1", "0:x", "", "0:6:16")) {
            CoreRelocation bad = new CoreRelocation(first.slot(), first.kind(), first.localTypeId(), access);
            messages.add(assertThrows(CoreRelocationException.class,
                    () -> relocator.relocate(f.instructions(), List.of(bad))).reason());
        }
        assertEquals(List.of(
                "member index 99 (component 2) is out of range: type 5 (STRUCT 'task_struct') has 14 members",
                "component 3 (1) indexes type 3 (INT 'int'), which is not a struct, union or array",
                "access string component 2 ('x') is not an index",
                "access string component 1 ('') is not an index",
                "array index 16 (component 3) is out of range: the array has 16 elements"), messages);
    }

    @Test
    void typeRelocationWithAPathIsRefused() {
        CoreObject object = CoreObject.resource("core/obj/local.o");
        CoreRelocator relocator = new CoreRelocator(object.btf(), CoreObject.targetBtf());
        CoreRelocationException e = assertThrows(CoreRelocationException.class,
                () -> relocator.resolve(new CoreRelocation(3, CoreReloKind.TYPE_SIZE, 5, "0:1")));
        assertEquals("insn 3: CO-RE TYPE_SIZE relocation of type 5 (STRUCT 'task_struct') at access string '0:1': "
                + "a type relocation's access string must be \"0\"", e.getMessage());
    }

    @Test
    void relocationOfAJumpIsRefused() {
        CoreObject object = CoreObject.resource("core/obj/local.o");
        CoreRelocator relocator = new CoreRelocator(object.btf(), CoreObject.targetBtf());
        Instructions program = Instructions.of(new Instruction(0x05, 0, 0, 0, 0), new Instruction(0x95, 0, 0, 0, 0));
        CoreRelocationException e = assertThrows(CoreRelocationException.class, () -> relocator.relocate(program,
                List.of(new CoreRelocation(0, CoreReloKind.FIELD_BYTE_OFFSET, 5, "0:0"))));
        assertEquals("instruction JMP opcode 0x05 is a jump, which CO-RE cannot relocate", e.reason());
    }

    private static int indexOfSlot(Instructions instructions, int slot) {
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.slotOf(i) == slot) {
                return i;
            }
        }
        throw new IllegalArgumentException("no instruction at slot " + slot);
    }
}
