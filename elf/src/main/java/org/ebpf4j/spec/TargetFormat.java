package org.ebpf4j.spec;

/** How the text after {@code TYPE/} in a section name reads, per section type. */
public enum TargetFormat {
    /** Exact section names: nothing follows. */
    NONE,
    /** {@code FUNC[+OFFSET]} (kprobe, kretprobe). */
    KERNEL_FUNCTION,
    /** A glob over kernel function names (kprobe.multi, kprobe.session). */
    KERNEL_FUNCTION_PATTERN,
    /** A system call name (ksyscall, kretsyscall). */
    SYSCALL_NAME,
    /** {@code PATH:FUNC[+OFFSET]} (uprobe, uretprobe). */
    USER_FUNCTION,
    /** {@code PATH:PATTERN} (uprobe.multi, uretprobe.multi, uprobe.session). */
    USER_FUNCTION_PATTERN,
    /** {@code PATH:PROVIDER:NAME} (usdt). */
    USDT_PROBE,
    /** {@code CATEGORY/NAME} (tracepoint, tp, jvm/tracepoint). */
    CATEGORY_AND_NAME,
    /** One name: raw tracepoints, BTF-typed targets, iterators, struct_ops members. */
    NAME,
    /** {@code CLASS#METHOD[DESCRIPTOR]} (jvm/method/entry, jvm/method/exit). */
    JAVA_METHOD,
    /** {@code N(ns|us|ms|s|hz)} (jvm/timer). */
    PERIOD;

    /** Reads {@code text}, the part after {@code TYPE/}; empty text means no target. */
    public AttachTarget parse(String text) {
        if (text.isEmpty()) {
            return new AttachTarget.None();
        }
        return switch (this) {
            case NONE -> new AttachTarget.Malformed(text, "this section type takes nothing after its name");
            case KERNEL_FUNCTION -> TargetParser.kernelFunction(text);
            case KERNEL_FUNCTION_PATTERN -> new AttachTarget.FunctionPattern(text);
            case SYSCALL_NAME -> new AttachTarget.Syscall(text);
            case USER_FUNCTION -> TargetParser.userFunction(text);
            case USER_FUNCTION_PATTERN -> TargetParser.userFunctionPattern(text);
            case USDT_PROBE -> TargetParser.usdt(text);
            case CATEGORY_AND_NAME -> TargetParser.tracepoint(text);
            case NAME -> new AttachTarget.Named(text);
            case JAVA_METHOD -> TargetParser.javaMethod(text);
            case PERIOD -> TargetParser.period(text);
        };
    }
}
