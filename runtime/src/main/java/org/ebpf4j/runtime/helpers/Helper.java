package org.ebpf4j.runtime.helpers;

/**
 * A helper function that programs call with {@code call imm}. Arguments arrive in r1-r5 and the result goes to
 * r0, exactly as in the kernel; pointers among the arguments resolve through the invocation's address space.
 */
@FunctionalInterface
public interface Helper {
    long call(HelperContext context, long r1, long r2, long r3, long r4, long r5);
}
