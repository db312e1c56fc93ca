package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;

/** One program verified by the running kernel and by ebpf4j: the kernel's verdict and last log line are the truth. */
final class KernelVerdicts {
    private KernelVerdicts() {}

    enum Outcome { ACCEPTED, REJECTED, UNSUPPORTED }

    /**
     * Loads {@code code} in the kernel and verifies it here: the same verdict and message, or a feature ebpf4j's
     * verifier names as unsupported (callers assert where that may happen).
     */
    static Outcome compare(Backend kernel, ProgramType type, Optional<AttachType> attach, int flags,
                           Instructions code, String what) {
        ProgramSpec program = new ProgramSpec("ctx", "ctx", type, attach, new AttachTarget.None(), flags, "GPL", 0,
                code, List.of(), List.of(), List.of(), List.of());
        CollectionSpec spec = new CollectionSpec("ctx", Map.of("ctx", program), Map.of(), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
        String expected;
        try (Collection loaded = kernel.load(spec)) {
            expected = "accept";
        } catch (VerifierException e) {
            expected = lastLine(e.log());
        }
        Verdict ours = Verifier.verify(code, new VerifierOptions(type.value(),
                attach.map(AttachType::value).orElse(0), flags, true));
        if (ours instanceof Verdict.Rejected r && r.cause() == Verdict.Cause.UNSUPPORTED) {
            return Outcome.UNSUPPORTED;
        }
        String actual = ours instanceof Verdict.Rejected r ? r.message() : "accept";
        assertEquals(expected, actual, type + " " + attach.map(AttachType::name).orElse("") + " " + what);
        return actual.equals("accept") ? Outcome.ACCEPTED : Outcome.REJECTED;
    }

    private static String lastLine(String log) {
        String last = "";
        for (String line : log.split("\n")) {
            if (!line.isBlank() && !line.startsWith("processed ")) {
                last = line.strip();
            }
        }
        return last;
    }
}
