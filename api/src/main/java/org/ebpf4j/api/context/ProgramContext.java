package org.ebpf4j.api.context;

import org.ebpf4j.spec.ProgramType;

/**
 * A typed context for {@link org.ebpf4j.api.Program#run}: what a program of {@link #programType()} receives in r1,
 * encoded as the kernel lays it out (little endian, x86-64).
 */
public sealed interface ProgramContext permits PtRegs, PerfEventData, TracepointRecord, RawTracepointArgs,
        SyscallContext {

    /** The program type this context is for. */
    ProgramType programType();

    /** The context's bytes, as the test run's {@code ctx_in}. */
    byte[] bytes();

    /** Takes the context the run gave back; only contexts the program may write keep it. */
    default void receive(byte[] contextOut) {}
}
