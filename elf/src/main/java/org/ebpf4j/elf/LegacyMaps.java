package org.ebpf4j.elf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * Map definitions in the legacy {@code maps} section: one {@code struct bpf_map_def} per symbol (type, key_size,
 * value_size, max_entries, map_flags: 20 bytes), or iproute2's {@code struct bpf_elf_map} (36 bytes: the same
 * five fields, then id, pinning, inner_id, inner_idx). A longer definition is accepted when its extra bytes are
 * zero, as libbpf does.
 */
final class LegacyMaps {
    private LegacyMaps() {}

    private static final int BPF_MAP_DEF_SIZE = 20;
    private static final int BPF_ELF_MAP_SIZE = 36;
    /** iproute2's PIN_GLOBAL_NS: pinned by name under the global namespace, the closest to libbpf's BY_NAME. */
    private static final int IPROUTE2_PIN_GLOBAL_NS = 2;

    record Definition(Symbol symbol, MapSpec spec) {}

    static List<Definition> read(ElfFile elf, Section section) {
        List<Symbol> symbols = elf.symbolsIn(section).stream()
                .filter(s -> (s.type() == SymbolType.OBJECT || s.type() == SymbolType.NOTYPE) && !s.name().isEmpty())
                .toList();
        ByteBuffer data = elf.contents(section);
        List<Definition> out = new ArrayList<>();
        for (Symbol symbol : symbols) {
            long size = symbol.size() != 0 ? symbol.size() : section.size() / symbols.size();
            String part = section.describe() + ", map '" + symbol.name() + "' at offset 0x"
                    + Long.toHexString(symbol.value());
            if (size < BPF_MAP_DEF_SIZE || symbol.value() + size > section.size()) {
                throw new ObjectLoadException(elf.name(), part, "a map definition of " + size
                        + " bytes does not fit struct bpf_map_def (20 bytes) inside the section");
            }
            int at = (int) symbol.value();
            int typeNumber = data.getInt(at);
            MapType type = MapType.of(typeNumber).orElseThrow(
                    () -> new ObjectLoadException(elf.name(), part, "unknown map type " + typeNumber));
            MapPinning pinning = MapPinning.NONE;
            if (size == BPF_ELF_MAP_SIZE) {
                int pin = data.getInt(at + 24);
                pinning = pin == IPROUTE2_PIN_GLOBAL_NS ? MapPinning.BY_NAME : MapPinning.NONE;
            } else {
                for (long i = BPF_MAP_DEF_SIZE; i < size; i++) {
                    if (data.get((int) (at + i)) != 0) {
                        throw new ObjectLoadException(elf.name(), part, "byte " + i
                                + " of the definition is set; only the 20 bytes of struct bpf_map_def are known");
                    }
                }
            }
            MapSpec spec = new MapSpec(symbol.name(), type, data.getInt(at + 4), data.getInt(at + 8),
                    data.getInt(at + 12), data.getInt(at + 16), pinning, 0, 0, Optional.empty(), List.of(), false,
                    0, 0, MapSpec.Origin.LEGACY);
            out.add(new Definition(symbol, spec));
        }
        return out;
    }
}
