package org.ebpf4j.api;

import java.util.Optional;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/** A loaded, verified program. */
public interface Program extends AutoCloseable {
    String name();

    ProgramType type();

    /** The spec it was loaded from (before map and CO-RE relocation). */
    ProgramSpec spec();

    /**
     * The verifier's log of this program's load, when the backend kept one: {@link LoadOptions#logLevel()} above 0
     * asks for it. Empty at level 0, and from a backend that verified without a log.
     */
    default Optional<String> verifierLog() {
        return Optional.empty();
    }

    /**
     * Pins the program in the BPF filesystem at {@code path}, so that it outlives this
     * process and others can open it. Only the kernel backend has a bpffs; others throw
     * {@link UnsupportedOperationException}.
     */
    default void pin(java.nio.file.Path path) {
        throw new UnsupportedOperationException("pinning needs the kernel backend; " + this + " cannot be pinned");
    }

    /** Removes the pin {@link #pin} made; the object itself stays. */
    default void unpin() {
        throw new UnsupportedOperationException("pinning needs the kernel backend; " + this + " is not pinned");
    }

    /** Runs the program on a test input, with {@code BPF_PROG_TEST_RUN}'s semantics. */
    TestRunResult testRun(TestRun run);

    @Override
    void close();
}
