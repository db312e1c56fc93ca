package org.ebpf4j.btf.core;

/** Bounds that keep matching finite on any input, libbpf's where it has one. */
final class CoreLimits {
    /** libbpf's BPF_CORE_SPEC_MAX_LEN: the longest access path, anonymous members included. */
    static final int MAX_ACCESS_LENGTH = 64;
    /** How deep type comparison recurses through members, pointers, arrays and prototypes (libbpf: 32). */
    static final int MAX_TYPE_DEPTH = 32;

    private CoreLimits() {
    }
}
