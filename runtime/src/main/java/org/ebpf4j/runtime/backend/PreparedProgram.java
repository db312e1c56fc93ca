package org.ebpf4j.runtime.backend;

import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;

/**
 * What a test run executes: a program prepared by an engine, and how many bytes at the top of its first stack frame
 * its runs may write, which each run zeroes again ({@link Invocation#Invocation(int)}): the verifier's stack depth
 * for a verified program without tail calls, the whole frame otherwise.
 */
record PreparedProgram(Executable executable, int stackBytes) {
    /** A program nothing is known of: each run zeroes the whole frame. */
    static PreparedProgram unbounded(Executable executable) {
        return new PreparedProgram(executable, Invocation.STACK_SIZE);
    }
}
