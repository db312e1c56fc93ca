package org.ebpf4j.elf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * Global variables: each {@code .data}, {@code .rodata} and {@code .bss} section (and {@code .data.*},
 * {@code .rodata.*}, {@code .bss.*}) becomes a one-element array map whose value is the section, as libbpf does.
 * {@code .rodata} maps are read-only to programs and frozen, so a verifier may read their contents as constants.
 */
final class GlobalData {
    private GlobalData() {}

    record DataSection(Section section, MapSpec spec) {}

    static boolean isGlobalData(String sectionName) {
        return hasPrefix(sectionName, ".data") || hasPrefix(sectionName, ".rodata") || hasPrefix(sectionName, ".bss");
    }

    private static boolean isReadOnly(String sectionName) {
        return hasPrefix(sectionName, ".rodata");
    }

    private static boolean hasPrefix(String name, String prefix) {
        return name.equals(prefix) || name.startsWith(prefix + ".");
    }

    static List<DataSection> read(ElfFile elf, Optional<Btf> btf) {
        List<DataSection> out = new ArrayList<>();
        for (Section s : elf.sections()) {
            if (!isGlobalData(s.name()) || s.size() == 0 || s.isExecutable()) {
                continue;
            }
            if (s.size() > Integer.MAX_VALUE) {
                throw new ObjectLoadException(elf.name(), s.describe(), "global data of " + s.size()
                        + " bytes is larger than a map value can be");
            }
            boolean readOnly = isReadOnly(s.name());
            int flags = MapFlags.BPF_F_MMAPABLE | (readOnly ? MapFlags.BPF_F_RDONLY_PROG : 0);
            int valueType = btf.flatMap(b -> {
                var id = b.typeId(s.name(), BtfKind.DATASEC);
                return id.isPresent() ? Optional.of(id.getAsInt()) : Optional.<Integer>empty();
            }).orElse(0);
            byte[] key = ByteBuffer.allocate(4).order(elf.byteOrder()).putInt(0).array();
            byte[] value = s.type() == SectionType.NOBITS ? new byte[(int) s.size()] : elf.bytes(s);
            MapSpec spec = new MapSpec(s.name(), MapType.ARRAY, 4, (int) s.size(), 1, flags,
                    MapPinning.NONE, 0, 0, Optional.empty(),
                    List.of(new MapSpec.MapEntry.Bytes(key, value)), readOnly, 0, valueType,
                    MapSpec.Origin.GLOBAL_DATA);
            out.add(new DataSection(s, spec));
        }
        return out;
    }
}
