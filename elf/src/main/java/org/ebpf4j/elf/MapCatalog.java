package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.spec.MapSpec;

/**
 * Every map of an object (BTF-defined, legacy, global data, {@code .kconfig}), and the answer to the linker's
 * question: which map does a relocated symbol refer to?
 */
final class MapCatalog {
    private static final String BTF_MAPS = ".maps";
    private static final String LEGACY_MAPS = "maps";

    private final ElfFile elf;
    private final Map<String, MapSpec> specs = new LinkedHashMap<>();
    private final Map<Integer, String> mapBySymbol = new HashMap<>();
    private final Map<Integer, String> dataMapBySection = new HashMap<>();
    private final List<BtfMaps.Definition> btfDefinitions = new ArrayList<>();
    private final Optional<KconfigExterns> kconfig;

    private MapCatalog(ElfFile elf, Optional<Btf> btf) {
        this.elf = elf;
        elf.section(BTF_MAPS).ifPresent(s -> {
            for (BtfMaps.Definition d : BtfMaps.read(elf, btf, s)) {
                add(d.spec(), d.symbol());
                btfDefinitions.add(d);
            }
        });
        elf.section(LEGACY_MAPS).ifPresent(s -> {
            for (LegacyMaps.Definition d : LegacyMaps.read(elf, s)) {
                add(d.spec(), d.symbol());
            }
        });
        for (GlobalData.DataSection d : GlobalData.read(elf, btf)) {
            add(d.spec(), null);
            dataMapBySection.put(d.section().index(), d.spec().name());
        }
        kconfig = KconfigExterns.read(btf, name -> elf.symbols().stream()
                .anyMatch(sym -> sym.isUndefined() && sym.name().equals(name) && sym.binding() == SymbolBinding.WEAK));
        kconfig.ifPresent(k -> add(k.spec(), null));
    }

    static MapCatalog read(ElfFile elf, Optional<Btf> btf) {
        return new MapCatalog(elf, btf);
    }

    private void add(MapSpec spec, Symbol symbol) {
        if (specs.putIfAbsent(spec.name(), spec) != null) {
            throw new ObjectLoadException(elf.name(), "map '" + spec.name() + "'", "defined twice");
        }
        if (symbol != null) {
            mapBySymbol.put(symbol.index(), spec.name());
        }
    }

    /** What an lddw relocated against {@code symbol} loads, or empty when the symbol is not about a map. */
    Optional<MapTarget> resolve(Symbol symbol) {
        String map = mapBySymbol.get(symbol.index());
        if (map != null) {
            return Optional.of(new MapTarget(map, false, 0));
        }
        if (symbol.isUndefined()) {
            return kconfig.flatMap(k -> k.offsetOf(symbol.name()))
                    .map(offset -> new MapTarget(KconfigExterns.MAP_NAME, true, offset));
        }
        var section = symbol.sectionIndex();
        if (section.isPresent() && dataMapBySection.containsKey(section.getAsInt())) {
            // Section symbols have value 0 and the instruction's immediate holds the offset; named variables the
            // reverse. Either way the offset into the map's value is value + imm.
            return Optional.of(new MapTarget(dataMapBySection.get(section.getAsInt()), true, symbol.value()));
        }
        return Optional.empty();
    }

    /** The {@code __kconfig} externs and their places in the {@code .kconfig} map. */
    List<org.ebpf4j.spec.KconfigExtern> kconfigExterns() {
        return kconfig.map(KconfigExterns::externs).orElse(List.of());
    }

    /**
     * The maps, with the initial slots of prog arrays and map-in-maps read from {@code .rel.maps} (each slot a
     * relocation against a program or a map).
     */
    List<MapSpec> specs(Set<String> programs) {
        Map<String, MapSpec> out = new LinkedHashMap<>(specs);
        Optional<Section> maps = elf.section(BTF_MAPS);
        if (maps.isPresent()) {
            MapSlots.fill(elf, maps.get(), btfDefinitions, programs, specs.keySet())
                    .forEach(spec -> out.put(spec.name(), spec));
        }
        return List.copyOf(out.values());
    }
}
