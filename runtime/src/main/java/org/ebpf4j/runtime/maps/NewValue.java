package org.ebpf4j.runtime.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * What an update writes into an element: one value, one CPU's value (a program updating a per-CPU map), or every
 * CPU's value (Java updating a per-CPU map). An element is {@code cpus} value slots of {@code stride} bytes.
 */
sealed interface NewValue {
    /** A non-per-CPU map's value. */
    record Single(byte[] bytes) implements NewValue {}

    /** The value of one CPU; a new element starts with zeroes on the other CPUs, as in the kernel. */
    record ForCpu(byte[] bytes, int cpu) implements NewValue {}

    /** One value per CPU. */
    record AllCpus(List<byte[]> values) implements NewValue {}

    /** Writes the value(s) into the element at {@code base}; {@code fresh} when the element is new. */
    default void writeTo(MemorySegment values, long base, int stride, int cpus, boolean fresh) {
        switch (this) {
            case Single(byte[] bytes) -> MemorySegment.copy(bytes, 0, values, ValueLayout.JAVA_BYTE,
                    base, bytes.length);
            case ForCpu(byte[] bytes, int cpu) -> {
                if (fresh) {
                    values.asSlice(base, (long) stride * cpus).fill((byte) 0);
                }
                MemorySegment.copy(bytes, 0, values, ValueLayout.JAVA_BYTE,
                        base + (long) cpu * stride, bytes.length);
            }
            case AllCpus(List<byte[]> perCpu) -> {
                for (int cpu = 0; cpu < cpus; cpu++) {
                    byte[] bytes = perCpu.get(cpu);
                    MemorySegment.copy(bytes, 0, values, ValueLayout.JAVA_BYTE,
                            base + (long) cpu * stride, bytes.length);
                }
            }
        }
    }
}
