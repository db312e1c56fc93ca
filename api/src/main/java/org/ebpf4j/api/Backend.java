package org.ebpf4j.api;

import org.ebpf4j.spec.CollectionSpec;

/**
 * Something that loads collections: the JVM runtime (programs run inside this process) or the Linux kernel
 * (through {@code bpf()}). Both give the same objects with the same semantics, so code written against this
 * interface runs on either, and tests can compare them.
 */
public interface Backend {
    /** A short name for messages: {@code jvm}, {@code linux}. */
    String name();

    /**
     * Creates the collection's maps (with their initial contents), resolves map references and CO-RE relocations,
     * verifies every program and prepares it to run.
     *
     * @throws VerifierException when a program is rejected, with the verifier's log
     * @throws org.ebpf4j.isa.BpfException for anything else the backend cannot do, naming what and why
     */
    Collection load(CollectionSpec spec, LoadOptions options);

    default Collection load(CollectionSpec spec) {
        return load(spec, LoadOptions.defaults());
    }

    /**
     * A reader of {@code map}, a {@code RINGBUF} map of a collection this backend loaded.
     *
     * @throws IllegalArgumentException when it is another type of map, or another backend's
     */
    RingBufferReader openRingBuffer(BpfMap map);

    /**
     * A reader of {@code map}, a {@code PERF_EVENT_ARRAY} of a collection this backend loaded, with a buffer of
     * {@code pagesPerCpu} pages (a power of two, as perf requires; 4 KiB pages on x86_64 and on the JVM) for each CPU; it stores the buffers in
     * the map at their CPU's index, where {@code bpf_perf_event_output(..., BPF_F_CURRENT_CPU, ...)} writes, and
     * takes them out when closed.
     *
     * @throws IllegalArgumentException when it is another type of map, or another backend's, or the page count is
     *     not a power of two
     */
    PerfBufferReader openPerfBuffer(BpfMap map, int pagesPerCpu);
}
