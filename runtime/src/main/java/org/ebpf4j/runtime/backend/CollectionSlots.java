package org.ebpf4j.runtime.backend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapSpec.MapEntry;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramSpec;

/**
 * The slots an object fills at load time, as libbpf does: map-in-map slots once every map exists, prog-array slots
 * once every program is prepared; and the prog arrays' owner type, claimed by each program that refers to one.
 * {@link org.ebpf4j.runtime.maps.JvmMaps} creates maps from their byte contents only ({@link #bytesOnly}).
 */
final class CollectionSlots {
    private CollectionSlots() {}

    /** The spec without its program and map entries, which only the collection can resolve. */
    static MapSpec bytesOnly(MapSpec spec) {
        return spec.withContents(spec.contents().stream().filter(e -> e instanceof MapEntry.Bytes).toList());
    }

    /** Puts each map-in-map slot's map, by the index the object gives it (a 4-byte key, as libbpf writes it). */
    static void fillMaps(CollectionSpec collection, Map<String, JvmMap> maps) {
        for (MapSpec spec : collection.maps().values()) {
            for (MapEntry entry : spec.contents()) {
                if (entry instanceof MapEntry.Map(int index, String mapName)) {
                    JvmMap inner = maps.get(mapName);
                    if (inner == null) {
                        throw new BpfException("map '" + spec.name() + "' slot " + index + " holds map '" + mapName
                                + "', which " + collection.name() + " does not declare");
                    }
                    maps.get(spec.name()).update(u32(index), inner, MapUpdateFlags.BPF_ANY);
                }
            }
        }
    }

    /** The kernel's check at program load: every prog array a program refers to serves its type. */
    static void claimProgArrays(ProgramSpec program, Map<String, JvmMap> maps) {
        for (ProgramSpec.MapReference reference : program.mapReferences()) {
            JvmMap map = maps.get(reference.mapName());
            if (map != null && !MapHelpers.claimProgArray(map, program.type())) {
                throw new BpfException("program '" + program.name() + "' (" + program.type() + ") cannot use prog"
                        + " array '" + map.name() + "': it serves programs of another type (EINVAL in the kernel)");
            }
        }
    }

    /** Puts each prog-array slot's program. */
    static void fillPrograms(CollectionSpec collection, Map<String, JvmMap> maps, Map<String, JvmProgram> programs) {
        for (MapSpec spec : collection.maps().values()) {
            for (MapEntry entry : spec.contents()) {
                if (entry instanceof MapEntry.Program(int index, String programName)) {
                    JvmProgram program = programs.get(programName);
                    if (program == null) {
                        throw new BpfException("map '" + spec.name() + "' slot " + index + " holds program '"
                                + programName + "', which " + collection.name() + " does not have");
                    }
                    maps.get(spec.name()).update(u32(index), program, MapUpdateFlags.BPF_ANY);
                }
            }
        }
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
