package org.ebpf4j.spec.context;

import java.util.List;

/**
 * The context of SYSCALL programs: a buffer of the caller's bytes with no struct of its own (the program decides
 * what it holds). syscall_prog_is_valid_access allows reads and writes at offsets aligned to their size below
 * U16_MAX; a test run passes exactly {@code ctx_size_in} bytes and gives them back as the program left them.
 */
public final class SyscallContext {
    private SyscallContext() {}

    /** U16_MAX: the bound the verifier checks. */
    public static final int MAX_SIZE = 0xffff;

    public static final ContextLayout LAYOUT = layout(MAX_SIZE);

    /** A buffer of {@code size} bytes (at most {@link #MAX_SIZE}). */
    public static ContextLayout layout(int size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("a syscall program's context holds 0 to " + MAX_SIZE + " bytes, not "
                    + size);
        }
        return new ContextLayout("syscall ctx", size, size == 0 ? List.of()
                : List.of(new ContextField("ctx", 0, size, FieldAccess.READ_WRITE, true)));
    }
}
