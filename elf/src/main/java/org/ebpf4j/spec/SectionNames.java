package org.ebpf4j.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Resolves an ELF section name to what its programs are, following libbpf's {@code SEC()} rules
 * ({@link LibbpfSections}) and ebpf4j's JVM hook names ({@link JvmSections}).
 *
 * <pre>{@code
 * SectionNames.resolve("kprobe/do_unlinkat")   // Known KPROBE, KernelFunction("do_unlinkat", 0)
 * SectionNames.resolve("xdp.frags")            // Known XDP, attach BPF_XDP, BPF_F_XDP_HAS_FRAGS
 * SectionNames.resolve("xdp/foo")              // Unknown: "xdp" is exact
 * }</pre>
 */
public final class SectionNames {

    /** libbpf's rows, then ebpf4j's; no name matches rows of both, since libbpf has no {@code jvm} type. */
    public static final List<SectionDefinition> DEFINITIONS = concat(LibbpfSections.DEFINITIONS,
            JvmSections.DEFINITIONS);

    private SectionNames() {
    }

    /** What {@code sectionName} says; {@link SectionMatch.Unknown} when no row matches (never an exception). */
    public static SectionMatch resolve(String sectionName) {
        Objects.requireNonNull(sectionName, "sectionName");
        for (SectionDefinition definition : DEFINITIONS) {
            var targetText = definition.targetTextOf(sectionName);
            if (targetText.isPresent()) {
                AttachTarget target = definition.targetFormat().parse(targetText.get());
                return new SectionMatch.Known(sectionName, definition, target);
            }
        }
        return new SectionMatch.Unknown(sectionName);
    }

    private static List<SectionDefinition> concat(List<SectionDefinition> first, List<SectionDefinition> second) {
        List<SectionDefinition> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
