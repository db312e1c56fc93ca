package org.ebpf4j.isa.conformance;

/** Where a vector's program bytes came from. */
public enum ProgramSource {
    /** Assembled from the {@code -- asm} section of a {@code .data} file. */
    ASSEMBLY,
    /** Taken verbatim from the {@code -- raw} section, which overrides {@code -- asm}. */
    RAW,
    /** Taken from {@code conformance_corpus.tsv}, already encoded by the reference toolchain. */
    CORPUS
}
