package org.ebpf4j.verifier;

/**
 * Thrown inside the verifier where a rule is broken (or an unsupported feature met); {@link Verifier} turns it
 * into a {@link Verdict.Rejected}. Not part of the public contract: callers see verdicts, never this.
 */
public final class VerificationFailure extends RuntimeException {
    private final int insn;
    private final Verdict.Cause cause;

    private VerificationFailure(int insn, String message, Verdict.Cause cause) {
        super(message, null, false, false);
        this.insn = insn;
        this.cause = cause;
    }

    /** A kernel rule, with the kernel's message text. */
    public static VerificationFailure rule(int insn, String format, Object... args) {
        return new VerificationFailure(insn, String.format(format, args), Verdict.Cause.RULE);
    }

    /** A feature ebpf4j's verifier does not check yet, named so the user knows what is missing. */
    public static VerificationFailure unsupported(int insn, String feature) {
        return new VerificationFailure(insn, feature + " not supported yet by ebpf4j's verifier",
                Verdict.Cause.UNSUPPORTED);
    }

    /** As {@link #unsupported(int, String)}, with the detail that names the instance ("bpf_map_lookup_elem#1"). */
    public static VerificationFailure unsupported(int insn, String feature, String detail) {
        return new VerificationFailure(insn, feature + " not supported yet by ebpf4j's verifier: " + detail,
                Verdict.Cause.UNSUPPORTED);
    }

    public int insn() {
        return insn;
    }

    public Verdict.Cause kind() {
        return cause;
    }
}
