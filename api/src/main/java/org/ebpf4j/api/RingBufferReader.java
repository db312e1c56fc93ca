package org.ebpf4j.api;

/**
 * The reader of a {@code BPF_MAP_TYPE_RINGBUF} map: records in the order programs reserved them
 * ({@code bpf_ringbuf_output}, or {@code bpf_ringbuf_reserve} then {@code bpf_ringbuf_submit}); discarded records
 * are skipped, and a reserved record not yet submitted or discarded holds back every record after it. Opened with
 * {@link Backend#openRingBuffer}.
 */
public interface RingBufferReader extends EventReader {}
