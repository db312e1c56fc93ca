package org.ebpf4j.runtime.jit;

/** Implemented by each generated class: enters the main subprogram at depth 0. */
interface JitEntry {
    long enter(JitRun run, long r1, long r2, long r3, long r4, long r5);
}
