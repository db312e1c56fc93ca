package org.ebpf4j.runtime;

/**
 * A program prepared by an {@link Engine}: runs on any thread, each run with its own {@link Invocation}, and
 * returns r0.
 */
public interface Executable {
    long run(Invocation invocation, long r1, long r2, long r3, long r4, long r5);
}
