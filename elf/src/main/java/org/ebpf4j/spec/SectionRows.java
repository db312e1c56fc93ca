package org.ebpf4j.spec;

import java.util.Optional;

/** Short constructors for the rows of the section tables, so that each table reads like libbpf's documentation. */
final class SectionRows {

    private SectionRows() {
    }

    /** An exact section name. {@code attachType} may be null: no expected attach type. */
    static SectionDefinition exact(String name, ProgramType type, AttachType attachType, SectionOrigin origin) {
        return new SectionDefinition(name, type, Optional.ofNullable(attachType), false, false, TargetFormat.NONE,
                false, origin);
    }

    /** A {@code TYPE+} section whose target is optional. */
    static SectionDefinition targeted(String pattern, ProgramType type, AttachType attachType, TargetFormat format,
            SectionOrigin origin) {
        return new SectionDefinition(pattern, type, Optional.ofNullable(attachType), false, false, format, false,
                origin);
    }

    /** The same row, loaded with {@code BPF_F_SLEEPABLE}. */
    static SectionDefinition sleepable(SectionDefinition row) {
        return new SectionDefinition(row.pattern(), row.programType(), row.expectedAttachType(), true, row.xdpFrags(),
                row.targetFormat(), row.targetRequired(), row.origin());
    }

    /** The same row, loaded with {@code BPF_F_XDP_HAS_FRAGS}. */
    static SectionDefinition xdpFrags(SectionDefinition row) {
        return new SectionDefinition(row.pattern(), row.programType(), row.expectedAttachType(), row.sleepable(), true,
                row.targetFormat(), row.targetRequired(), row.origin());
    }

    /** The same row, unloadable without a target (BTF-typed attach points). */
    static SectionDefinition targetRequired(SectionDefinition row) {
        return new SectionDefinition(row.pattern(), row.programType(), row.expectedAttachType(), row.sleepable(),
                row.xdpFrags(), row.targetFormat(), true, row.origin());
    }
}
