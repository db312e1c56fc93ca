package org.ebpf4j.spec.context;

/**
 * Where reads narrower than a {@code __u32} context field may fall, and what they read: the kernel checks narrow
 * reads in is_valid_access, then its ctx rewrite (convert_ctx_accesses) loads the kernel's own copy of the field and
 * shifts it only when the read is narrower than that copy.
 */
public enum NarrowRead {
    /** At any offset in the field aligned to the read's width; the read gives those bytes of the field. */
    ANY_ALIGNED,
    /** At the field's first byte only (is_valid_access matches the field by {@code offsetof}, not by range). */
    AT_START_ONLY,
    /**
     * As {@link #ANY_ALIGNED}, but the kernel keeps the field in 16 bits: a 2-byte read of the upper half loads that
     * copy unshifted, so it reads as the lower half (bpf_sk_lookup's family, protocol and local_port).
     */
    UPPER_HALF_REPEATS_LOWER
}
