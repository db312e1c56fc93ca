package org.ebpf4j.api.context;

import org.ebpf4j.spec.ProgramType;

/**
 * A SYSCALL program's context: the caller's buffer, which the program may read and write. {@code buffer} is used
 * in place: after {@link org.ebpf4j.api.Program#run}, it holds what the program left there.
 */
public record SyscallContext(byte[] buffer) implements ProgramContext {
    public SyscallContext {
        if (buffer.length > org.ebpf4j.spec.context.SyscallContext.MAX_SIZE) {
            throw new IllegalArgumentException("a syscall program's context holds at most "
                    + org.ebpf4j.spec.context.SyscallContext.MAX_SIZE + " bytes, not " + buffer.length);
        }
    }

    @Override
    public ProgramType programType() {
        return ProgramType.SYSCALL;
    }

    @Override
    public byte[] bytes() {
        return buffer.clone();
    }

    @Override
    public void receive(byte[] contextOut) {
        System.arraycopy(contextOut, 0, buffer, 0, Math.min(contextOut.length, buffer.length));
    }
}
