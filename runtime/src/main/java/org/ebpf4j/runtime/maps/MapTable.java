package org.ebpf4j.runtime.maps;

import static org.ebpf4j.isa.Opcode.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.spec.ProgramSpec;

/** {@link MapResolver}s over JVM maps: by fd-like index (the kernel's loaded form) or by a program spec's references. */
public final class MapTable {
    private MapTable() {}

    /**
     * Resolves {@code lddw} the way the kernel sees a loaded program: the low half of the immediate is an index
     * into {@code maps} (an fd for BPF_PSEUDO_MAP_FD/_VALUE, an fd_array index for _IDX/_IDX_VALUE), the high half
     * the value offset.
     */
    public static MapResolver byIndex(List<? extends JvmMap> maps) {
        List<? extends JvmMap> table = List.copyOf(maps);
        return (slot, pseudo, imm) -> {
            int index = (int) imm;
            if (index < 0 || index >= table.size()) {
                throw new InvalidProgramException(slot, "lddw refers to map " + index + ", but there are "
                        + table.size() + " maps");
            }
            return value(slot, pseudo, table.get(index), (int) (imm >>> 32));
        };
    }

    /**
     * Resolves the symbolic references of an object's program ({@link ProgramSpec#mapReferences()}: imm 0, the map
     * named at each slot) against maps by name.
     */
    public static MapResolver forProgram(ProgramSpec program, Map<String, ? extends JvmMap> maps) {
        Map<Integer, ProgramSpec.MapReference> bySlot = new HashMap<>();
        program.mapReferences().forEach(r -> bySlot.put(r.slot(), r));
        return (slot, pseudo, imm) -> {
            ProgramSpec.MapReference ref = bySlot.get(slot);
            if (ref == null) {
                throw new InvalidProgramException(slot, "lddw refers to a map, but program '" + program.name()
                        + "' names none at this slot");
            }
            JvmMap map = maps.get(ref.mapName());
            if (map == null) {
                throw new InvalidProgramException(slot, "lddw refers to map '" + ref.mapName()
                        + "', which was not created");
            }
            return value(slot, ref.value() ? PSEUDO_MAP_VALUE : PSEUDO_MAP_FD, map, ref.offset());
        };
    }

    private static long value(int slot, int pseudo, JvmMap map, int offset) {
        return switch (pseudo) {
            case PSEUDO_MAP_FD, PSEUDO_MAP_IDX -> map.handle();
            case PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX_VALUE -> {
                try {
                    yield map.directValueAddress(offset);
                } catch (IllegalArgumentException e) {
                    throw new InvalidProgramException(slot, e.getMessage());
                }
            }
            default -> throw new InvalidProgramException(slot, "lddw with src_reg " + pseudo + " is no map reference");
        };
    }
}
