package org.ebpf4j.runtime.events;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/** Collections of one {@code ProgramBuilder} program named "prog" and its maps. */
public final class Built {
    private Built() {}

    /** The program's map lddws refer to {@code maps} in order: the first lddw to the first map, and so on. */
    public static CollectionSpec collection(ProgramType type, Instructions code, MapSpec... maps) {
        List<ProgramSpec.MapReference> references = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < code.size(); i++) {
            if (code.get(i).isLddw() && code.get(i).src() == Opcode.PSEUDO_MAP_FD) {
                references.add(new ProgramSpec.MapReference(code.slotOf(i), maps[next++].name(), false, 0));
            }
        }
        ProgramSpec program = new ProgramSpec("prog", "prog", type, Optional.empty(), new AttachTarget.None(), 0,
                "GPL", 0, code, references, List.of(), List.of(), List.of());
        Map<String, MapSpec> byName = new LinkedHashMap<>();
        for (MapSpec m : maps) {
            byName.put(m.name(), m);
        }
        return new CollectionSpec("built", Map.of("prog", program), byName, List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }
}
