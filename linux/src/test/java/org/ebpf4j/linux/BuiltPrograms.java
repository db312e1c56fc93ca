package org.ebpf4j.linux;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R10;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R6;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.ebpf4j.api.Collection;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/**
 * Programs for the attach tests, built with {@link ProgramBuilder} (this machine has no clang): each is one
 * program named {@code prog} with one map, referred to by lddw slot like an object file's relocations.
 */
final class BuiltPrograms {
    /** The label a filter jumps to when the event is not one to count. */
    static final String SKIP = "skip";

    private BuiltPrograms() {}

    /**
     * {@code counts[0] += 1} (an ARRAY of one u64) for every event that {@code filter} lets through, returning
     * {@code counted} for those and {@code skipped} for the others. The filter finds the context in R6 and jumps
     * to {@link #SKIP} for events not counted.
     */
    static CollectionSpec counter(ProgramType type, Optional<AttachType> expected, Consumer<ProgramBuilder> filter,
                                  int counted, int skipped) {
        ProgramBuilder b = new ProgramBuilder().mov64(R6, R1);
        filter.accept(b);
        b.st(Size.W, R10, -4, 0)
                .mov64(R2, R10)
                .alu64(AluOp.ADD, R2, -4)
                .lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 0)
                .call(HelperFunction.MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, SKIP)
                .mov64(R1, 1)
                .atomic(Size.DW, AtomicOp.ADD, false, R0, 0, R1)
                .mov64(R0, counted)
                .exit()
                .label(SKIP)
                .mov64(R0, skipped)
                .exit();
        MapSpec counts = map("counts", MapType.ARRAY, 4, 8, 1);
        return collection(type, expected, b.build(), counts);
    }

    /** The count a {@link #counter} program has made so far. */
    static long count(Collection loaded) {
        byte[] value = loaded.map("counts").lookup(new byte[4]).orElseThrow();
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static MapSpec map(String name, MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.LEGACY);
    }

    /** One program over one map: every map lddw of {@code code} refers to {@code map}. */
    static CollectionSpec collection(ProgramType type, Optional<AttachType> expected, Instructions code,
                                     MapSpec map) {
        List<ProgramSpec.MapReference> references = new ArrayList<>();
        for (int i = 0; i < code.size(); i++) {
            if (code.get(i).isLddw() && code.get(i).src() == Opcode.PSEUDO_MAP_FD) {
                references.add(new ProgramSpec.MapReference(code.slotOf(i), map.name(), false, 0));
            }
        }
        ProgramSpec program = new ProgramSpec("prog", "prog", type, expected, new AttachTarget.None(), 0, "GPL", 0,
                code, references, List.of(), List.of(), List.of());
        Map<String, MapSpec> maps = new LinkedHashMap<>();
        maps.put(map.name(), map);
        return new CollectionSpec("built", Map.of("prog", program), maps, List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }
}
