package org.ebpf4j.spec;

import java.util.Optional;

/** What a section name says about the programs in it; see {@link SectionNames#resolve(String)}. */
public sealed interface SectionMatch {

    /** The section name as it appears in the object. */
    String sectionName();

    /** The name matches a table row; {@code target} is what follows the section type. */
    record Known(String sectionName, SectionDefinition definition, AttachTarget target) implements SectionMatch {

        public ProgramType programType() {
            return definition.programType();
        }

        public Optional<AttachType> expectedAttachType() {
            return definition.expectedAttachType();
        }

        public boolean sleepable() {
            return definition.sleepable();
        }

        /**
         * True when the section type needs a target and the name gives none ({@code fentry} alone): libbpf refuses
         * to load such a program unless the caller sets the target.
         */
        public boolean missingRequiredTarget() {
            return definition.targetRequired() && target instanceof AttachTarget.None;
        }
    }

    /** No table row matches: neither libbpf nor ebpf4j knows what program type this section holds. */
    record Unknown(String sectionName) implements SectionMatch {
    }
}
