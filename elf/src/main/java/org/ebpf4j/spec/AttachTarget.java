package org.ebpf4j.spec;

import java.time.Duration;
import java.util.Optional;

/**
 * What a section name says a program attaches to: the part after the section type, e.g. {@code do_unlinkat} in
 * {@code kprobe/do_unlinkat}. Which form applies is fixed by the section's {@link TargetFormat}.
 */
public sealed interface AttachTarget {

    /** The section names no target ({@code kprobe}, {@code xdp}); a program attaches where its caller says. */
    record None() implements AttachTarget {
    }

    /** {@code kprobe/FUNC[+OFFSET]}: a kernel function and a byte offset into it (0 for the entry). */
    record KernelFunction(String function, long offset) implements AttachTarget {
    }

    /** {@code kprobe.multi/PATTERN}: kernel functions matching a glob with {@code *} and {@code ?}. */
    record FunctionPattern(String pattern) implements AttachTarget {
    }

    /** {@code ksyscall/NAME}: a system call by its architecture-independent name ({@code openat}). */
    record Syscall(String name) implements AttachTarget {
    }

    /** {@code uprobe/PATH:FUNC[+OFFSET]}: a function in a user-space binary or library. */
    record UserFunction(String binaryPath, String function, long offset) implements AttachTarget {
    }

    /** {@code uprobe.multi/PATH:PATTERN}: functions of a binary matching a glob. */
    record UserFunctionPattern(String binaryPath, String pattern) implements AttachTarget {
    }

    /** {@code usdt/PATH:PROVIDER:NAME}: a statically defined user-space tracepoint. */
    record Usdt(String binaryPath, String provider, String name) implements AttachTarget {
    }

    /** {@code tracepoint/CATEGORY/NAME}, and ebpf4j's {@code jvm/tracepoint/CATEGORY/NAME}. */
    record Tracepoint(String category, String name) implements AttachTarget {
    }

    /**
     * One name whose meaning the program type gives: a raw tracepoint ({@code raw_tp/sched_switch}), a BTF function
     * or hook ({@code fentry/do_unlinkat}, {@code lsm/file_open}), an iterator ({@code iter/task}), a struct_ops
     * member ({@code struct_ops/init}).
     */
    record Named(String name) implements AttachTarget {
    }

    /**
     * ebpf4j's {@code jvm/method/entry/CLASS#METHOD[DESCRIPTOR]}: a Java method by the binary name of its class
     * ({@code java.util.HashMap}, {@code a.Outer$Inner}), its name ({@code put}, {@code <init>}), and optionally its
     * descriptor ({@code (Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;}); without one, every overload.
     */
    record JavaMethod(String className, String methodName, Optional<String> descriptor) implements AttachTarget {
    }

    /** ebpf4j's {@code jvm/timer/PERIOD}: run every {@code period} ({@code 10ms}, or a frequency {@code 99hz}). */
    record Timer(Duration period) implements AttachTarget {
    }

    /**
     * The section type is known but what follows it does not have the form its program type needs
     * ({@code tracepoint/sched} without a name). libbpf still loads such a program and fails only to auto-attach it;
     * the loader may do the same or report {@code reason}.
     */
    record Malformed(String text, String reason) implements AttachTarget {
    }
}
