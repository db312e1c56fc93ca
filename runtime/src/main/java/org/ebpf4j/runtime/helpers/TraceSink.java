package org.ebpf4j.runtime.helpers;

/**
 * Where {@code bpf_trace_printk} output goes: the JVM's counterpart of the kernel's trace_pipe. Called from the
 * thread that runs the program, with the formatted message as the program wrote it (usually ending in a newline).
 */
@FunctionalInterface
public interface TraceSink {
    void print(String message);

    /** Writes to standard error, as the kernel's trace_pipe is a shared text stream. */
    static TraceSink standardError() {
        return message -> System.err.print(message.endsWith("\n") ? message : message + "\n");
    }
}
