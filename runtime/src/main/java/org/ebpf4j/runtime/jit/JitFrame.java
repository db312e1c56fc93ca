package org.ebpf4j.runtime.jit;

/**
 * The registers of one call of a split subprogram: its chunk methods load them on entry and store what they wrote
 * on leaving, so control can pass from chunk to chunk through the dispatcher without a JVM call per jump.
 * Unsplit subprograms keep their registers in locals and never allocate one.
 */
final class JitFrame {
    long r0;
    long r1;
    long r2;
    long r3;
    long r4;
    long r5;
    long r6;
    long r7;
    long r8;
    long r9;
    long r10;
}
