package org.ebpf4j.elf;

import java.util.List;

/**
 * An SHT_REL section and the section it applies to (sh_info).
 *
 * @param section the relocation section itself (clang names it {@code .rel} + the target's name)
 * @param target the section whose bytes the relocations patch
 */
public record RelocationSection(Section section, Section target, List<Relocation> relocations) {
    public RelocationSection {
        relocations = List.copyOf(relocations);
    }
}
