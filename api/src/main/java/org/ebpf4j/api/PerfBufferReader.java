package org.ebpf4j.api;

import java.util.List;

/**
 * The reader of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}: one buffer per CPU, each holding the samples programs
 * write with {@code bpf_perf_event_output} on that CPU. {@link #poll} drains the buffers CPU by CPU, so samples of
 * one CPU keep their order and samples of different CPUs interleave by CPU. A sample's bytes are the program's,
 * followed by up to 7 bytes of padding (perf records are 8-byte aligned; the kernel does not write the padding, so
 * it holds whatever the buffer held there before). Opened with
 * {@link Backend#openPerfBuffer}.
 */
public interface PerfBufferReader extends EventReader {
    /** Samples that did not fit in a full buffer, as the {@code PERF_RECORD_LOST} records read so far count them. */
    long lost();

    /** The CPUs whose buffers this reader reads, in the order {@link #poll} drains them. */
    List<Integer> cpus();
}
