package org.ebpf4j.api.context;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpf4j.spec.ProgramType;

/** A raw tracepoint's arguments ({@code struct bpf_raw_tracepoint_args}), at most MAX_BPF_FUNC_ARGS (12). */
public record RawTracepointArgs(long... args) implements ProgramContext {
    public RawTracepointArgs {
        if (args.length > org.ebpf4j.spec.context.RawTracepointArgs.MAX_ARGS) {
            throw new IllegalArgumentException("a raw tracepoint has at most "
                    + org.ebpf4j.spec.context.RawTracepointArgs.MAX_ARGS + " arguments, not " + args.length);
        }
        args = args.clone();
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    @Override
    public ProgramType programType() {
        return ProgramType.RAW_TRACEPOINT;
    }

    @Override
    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(args.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long a : args) {
            b.putLong(a);
        }
        return b.array();
    }
}
