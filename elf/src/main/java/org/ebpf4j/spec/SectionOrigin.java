package org.ebpf4j.spec;

/** Who defines a section name convention. */
public enum SectionOrigin {
    /** libbpf's {@code SEC()} table, which clang users and every BPF loader follow. */
    LIBBPF,
    /** ebpf4j's own sections for hooks inside the JVM ({@code jvm/...}); see {@code docs/section-names.md}. */
    EBPF4J
}
