package org.ebpf4j.elf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * {@code extern ... __kconfig} variables. clang leaves them undefined (there is no {@code .kconfig} section, only a
 * DATASEC in BTF); like libbpf, ebpf4j lays them out in one read-only map named {@code .kconfig}, each at the next
 * offset aligned to its size (at most 8), and the backend fills in the values when it loads the collection.
 */
final class KconfigExterns {
    static final String MAP_NAME = ".kconfig";

    private final Map<String, KconfigExtern> externs;
    private final MapSpec spec;

    private KconfigExterns(Map<String, KconfigExtern> externs, MapSpec spec) {
        this.externs = externs;
        this.spec = spec;
    }

    /** The externs of the BTF's {@code .kconfig} DATASEC; {@code weak} says which symbols are weak. */
    static Optional<KconfigExterns> read(Optional<Btf> btf, java.util.function.Predicate<String> weak) {
        if (btf.isEmpty()) {
            return Optional.empty();
        }
        Btf b = btf.get();
        var id = b.typeId(MAP_NAME, BtfKind.DATASEC);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Map<String, KconfigExtern> externs = new LinkedHashMap<>();
        long end = 0;
        for (DatasecVar v : ((BtfType.Datasec) b.type(id.getAsInt())).vars()) {
            if (!(b.type(v.type()) instanceof BtfType.Var var)) {
                continue;
            }
            long size = b.sizeOf(var.type());
            long align = Math.min(8, Long.highestOneBit(Math.max(1, size)));
            end = (end + align - 1) / align * align;
            externs.put(var.name(), new KconfigExtern(var.name(), (int) end, (int) size, weak.test(var.name())));
            end += size;
        }
        MapSpec spec = new MapSpec(MAP_NAME, MapType.ARRAY, 4, (int) Math.max(1, end), 1,
                MapFlags.BPF_F_MMAPABLE | MapFlags.BPF_F_RDONLY_PROG, MapPinning.NONE, 0, 0,
                Optional.empty(), List.of(), true, 0, id.getAsInt(), MapSpec.Origin.KCONFIG);
        return Optional.of(new KconfigExterns(externs, spec));
    }

    /** The offset of an extern in the {@code .kconfig} map, if the name is one. */
    Optional<Long> offsetOf(String name) {
        return Optional.ofNullable(externs.get(name)).map(e -> (long) e.offset());
    }

    /** Every extern, in declaration order. */
    List<KconfigExtern> externs() {
        return List.copyOf(externs.values());
    }

    MapSpec spec() {
        return spec;
    }
}
