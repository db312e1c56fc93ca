package org.ebpf4j.api;

/**
 * What a test run gave: the program's return value (r0's low 32 bits, as {@code BPF_PROG_TEST_RUN} reports it), the
 * packet and context after the last run, and the mean duration of one run in nanoseconds.
 */
public record TestRunResult(long returnValue, byte[] dataOut, byte[] contextOut, long nanosPerRun) {}
