package org.ebpf4j.cli;

import org.ebpf4j.api.Collection;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.verifier.corpus.CorpusCase;

/**
 * The running kernel's verdicts on verifier corpus cases, for {@code corpus --kernel}: each case loaded through
 * {@link LinuxBackend} as an object would give it, so that the corpus's recorded Linux 6.18 verdicts can be checked
 * against the kernel at hand. The verdicts are the corpus's words: {@code accept}, {@code reject} (by the verifier,
 * with a log), {@code env} (the kernel refused before its verifier ran, or could not create a map); and
 * {@value #NOT_LOADED} for a case that ebpf4j cannot hand to the kernel: bytes that do not decode as instructions
 * (a malformed lddw, on purpose; the backend loads programs, not bytes), what the backend's own checks refuse (a
 * map reference it cannot patch, a program type that needs an attach target the corpus does not record), a map of
 * maps whose inner map the corpus does not record.
 */
final class RunningKernelVerdicts {
    static final String NOT_LOADED = "not_loaded";

    /** @param message the kernel's rejection or refusal ("" when accepted) */
    record KernelVerdict(String verdict, String message) {}

    private final LinuxBackend backend;

    /** @throws org.ebpf4j.linux.LinuxBpfException when bpf() is not permitted, saying what is needed */
    RunningKernelVerdicts() {
        this.backend = LinuxBackend.open();
    }

    KernelVerdict of(CorpusCase c) {
        CollectionSpec spec;
        try {
            spec = c.asCollection();
        } catch (BpfException | IllegalArgumentException e) {
            return new KernelVerdict(NOT_LOADED, e.getMessage());
        }
        try (Collection loaded = backend.load(spec)) {
            return new KernelVerdict("accept", "");
        } catch (VerifierException e) {
            return new KernelVerdict("reject", CorpusCase.rejectionMessage(e.log()));
        } catch (LinuxBpfException e) {
            return new KernelVerdict("env", e.getMessage());
        } catch (BpfException | IllegalArgumentException e) {
            return new KernelVerdict(NOT_LOADED, e.getMessage());
        }
    }

    /** Whether the running kernel saw the case and answered otherwise than the corpus records. */
    static boolean differs(CorpusCase c, KernelVerdict now) {
        return !now.verdict().equals(NOT_LOADED) && !now.verdict().equals(recorded(c));
    }

    /** The corpus's recorded verdict in the same words: a log overflow counts as {@code env}, as the report does. */
    static String recorded(CorpusCase c) {
        return c.isEnvironmentFailure() ? "env" : c.kernelVerdict();
    }
}
