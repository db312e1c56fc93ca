package org.ebpf4j.api.context;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.ebpf4j.spec.ProgramType;

/**
 * {@code struct bpf_perf_event_data}: the sampled registers, the sample period and the sampled address. The kernel
 * cannot test-run perf event programs; the JVM runs them on this sample.
 */
public record PerfEventData(PtRegs regs, long samplePeriod, long addr) implements ProgramContext {
    public PerfEventData {
        Objects.requireNonNull(regs);
    }

    @Override
    public ProgramType programType() {
        return ProgramType.PERF_EVENT;
    }

    @Override
    public byte[] bytes() {
        return ByteBuffer.allocate(org.ebpf4j.spec.context.PerfEventData.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .put(regs.bytes()).putLong(samplePeriod).putLong(addr).array();
    }
}
