package org.ebpf4j.api;

import java.util.Optional;
import org.ebpf4j.api.context.ProgramContext;
import org.ebpf4j.api.context.SyscallContext;
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

    /**
     * Runs the program once on a typed context and returns r0 (its low 32 bits, as {@code BPF_PROG_TEST_RUN}
     * reports it). A {@link SyscallContext} receives what the program wrote. Backends that cannot run the type
     * (the kernel does not test-run kprobes, tracepoints and perf events) throw
     * {@link UnsupportedOperationException}.
     *
     * @throws IllegalArgumentException when the context is for another program type
     */
    default long run(ProgramContext context) {
        if (context.programType() != type()) {
            throw new IllegalArgumentException("a " + context.getClass().getSimpleName() + " context is for "
                    + context.programType() + " programs; " + this + " is " + type());
        }
        TestRunResult result = testRun(TestRun.withoutData().ctx(context.bytes()));
        context.receive(result.contextOut());
        return result.returnValue();
    }

    @Override
    void close();
}
