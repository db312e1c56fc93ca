package org.ebpf4j.api.context;

import org.ebpf4j.spec.ProgramType;

/**
 * A tracepoint's record as its event's format lays it out, common fields (the first 8 bytes, hidden from programs)
 * included. The kernel cannot test-run tracepoint programs; the JVM runs them on these bytes.
 */
public record TracepointRecord(byte[] record) implements ProgramContext {
    public TracepointRecord {
        if (record.length > org.ebpf4j.spec.context.TracepointRecord.MAX_SIZE) {
            throw new IllegalArgumentException("a tracepoint record holds at most "
                    + org.ebpf4j.spec.context.TracepointRecord.MAX_SIZE + " bytes, not " + record.length);
        }
        record = record.clone();
    }

    @Override
    public byte[] record() {
        return record.clone();
    }

    @Override
    public ProgramType programType() {
        return ProgramType.TRACEPOINT;
    }

    @Override
    public byte[] bytes() {
        return record.clone();
    }
}
