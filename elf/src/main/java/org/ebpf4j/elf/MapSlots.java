package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.ebpf4j.spec.MapSpec;

/**
 * The {@code values = { ... }} initialisers of prog arrays and map-in-maps in {@code .maps}: clang writes each
 * non-empty slot as a 64-bit relocation against the program or map it holds, at the slot's offset in the map's
 * definition.
 */
final class MapSlots {
    private MapSlots() {}

    private static final int POINTER_SIZE = 8;

    static List<MapSpec> fill(ElfFile elf, Section maps, List<BtfMaps.Definition> definitions, Set<String> programs,
                              Set<String> mapNames) {
        List<MapSpec> out = new ArrayList<>();
        for (BtfMaps.Definition d : definitions) {
            if (d.values() == BtfMaps.Values.NONE) {
                continue;
            }
            List<MapSpec.MapEntry> entries = new ArrayList<>();
            long start = d.symbol().value() + d.valuesOffset();
            long end = d.symbol().value() + d.symbol().size();
            for (Relocation r : elf.relocationsFor(maps)) {
                if (r.offset() < start || r.offset() >= end) {
                    continue;
                }
                String part = maps.describe() + ", map '" + d.spec().name() + "'";
                if ((r.offset() - start) % POINTER_SIZE != 0) {
                    throw new ObjectLoadException(elf.name(), part, "relocation at offset 0x"
                            + Long.toHexString(r.offset()) + " is not at a slot of 'values'");
                }
                int index = (int) ((r.offset() - start) / POINTER_SIZE);
                if (index >= d.spec().maxEntries()) {
                    throw new ObjectLoadException(elf.name(), part, "slot " + index + " is beyond max_entries "
                            + d.spec().maxEntries());
                }
                String target = elf.symbolName(r.symbol());
                entries.add(switch (d.values()) {
                    case PROGRAMS -> {
                        if (!programs.contains(target)) {
                            throw new ObjectLoadException(elf.name(), part, "slot " + index + " holds '" + target
                                    + "', which is not a program of this object");
                        }
                        yield new MapSpec.MapEntry.Program(index, target);
                    }
                    case MAPS -> {
                        if (!mapNames.contains(target)) {
                            throw new ObjectLoadException(elf.name(), part, "slot " + index + " holds '" + target
                                    + "', which is not a map of this object");
                        }
                        yield new MapSpec.MapEntry.Map(index, target);
                    }
                    case NONE -> throw new AssertionError();
                });
            }
            entries.sort(Comparator.comparingInt(MapSlots::index));
            out.add(d.spec().withContents(entries));
        }
        return out;
    }

    private static int index(MapSpec.MapEntry e) {
        return switch (e) {
            case MapSpec.MapEntry.Program p -> p.index();
            case MapSpec.MapEntry.Map m -> m.index();
            case MapSpec.MapEntry.Bytes b -> -1;
        };
    }
}
