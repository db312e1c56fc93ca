package org.ebpf4j.spec;

import java.util.Optional;

/**
 * One row of a section-name table: a section type as libbpf's documentation writes it, and what a program in such a
 * section is.
 *
 * <p>{@code pattern} follows libbpf's notation: {@code socket} matches exactly that name; {@code kprobe+} matches
 * {@code kprobe} and {@code kprobe/ANYTHING}, where ANYTHING is the attach target. Nothing else matches:
 * {@code xdp/foo} is not an XDP section (libbpf 1.0 dropped prefix guessing) and {@code kprobe.multi} is not a
 * {@code kprobe+} section (the character after the prefix must be {@code /}).
 *
 * @param pattern the section type, with a trailing {@code +} when a target may follow
 * @param programType the program type libbpf loads it as
 * @param expectedAttachType the {@code expected_attach_type} libbpf passes at load; empty means 0 with no meaning
 * @param sleepable whether libbpf loads it with {@link ProgramLoadFlags#BPF_F_SLEEPABLE} (the {@code .s} variants)
 * @param xdpFrags whether libbpf loads it with {@link ProgramLoadFlags#BPF_F_XDP_HAS_FRAGS} ({@code xdp.frags})
 * @param targetFormat how the text after {@code TYPE/} reads
 * @param targetRequired whether the program cannot load without a target: libbpf needs one to find the BTF id of
 *     {@code fentry}, {@code lsm}, {@code iter}, ... targets, where for {@code kprobe} a missing target only
 *     prevents automatic attachment
 * @param origin libbpf or ebpf4j
 */
public record SectionDefinition(
        String pattern,
        ProgramType programType,
        Optional<AttachType> expectedAttachType,
        boolean sleepable,
        boolean xdpFrags,
        TargetFormat targetFormat,
        boolean targetRequired,
        SectionOrigin origin) {

    public SectionDefinition {
        if (pattern.endsWith("+") == (targetFormat == TargetFormat.NONE)) {
            throw new IllegalArgumentException(pattern + ": a '+' section needs a target format, an exact one none");
        }
    }

    /** The section type without the {@code +}: {@code kprobe} for {@code kprobe+}. */
    public String type() {
        return acceptsTarget() ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    /** Whether a target may follow the type ({@code +} in libbpf's notation). */
    public boolean acceptsTarget() {
        return pattern.endsWith("+");
    }

    /**
     * The target text of {@code sectionName} if this definition matches it: empty string for the bare type, the text
     * after {@code TYPE/} otherwise; empty when it does not match.
     */
    public Optional<String> targetTextOf(String sectionName) {
        String type = type();
        if (sectionName.equals(type)) {
            return Optional.of("");
        }
        if (acceptsTarget() && sectionName.startsWith(type) && sectionName.length() > type.length()
                && sectionName.charAt(type.length()) == '/') {
            return Optional.of(sectionName.substring(type.length() + 1));
        }
        return Optional.empty();
    }

    /** The {@code prog_flags} libbpf adds for this section: sleepable and XDP fragments. */
    public int programLoadFlags() {
        return (sleepable ? ProgramLoadFlags.BPF_F_SLEEPABLE : 0)
                | (xdpFrags ? ProgramLoadFlags.BPF_F_XDP_HAS_FRAGS : 0);
    }
}
