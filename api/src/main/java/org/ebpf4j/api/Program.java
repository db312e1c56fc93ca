package org.ebpf4j.api;

import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/** A loaded, verified program. */
public interface Program extends AutoCloseable {
    String name();

    ProgramType type();

    /** The spec it was loaded from (before map and CO-RE relocation). */
    ProgramSpec spec();

    /** Runs the program on a test input, with {@code BPF_PROG_TEST_RUN}'s semantics. */
    TestRunResult testRun(TestRun run);

    @Override
    void close();
}
