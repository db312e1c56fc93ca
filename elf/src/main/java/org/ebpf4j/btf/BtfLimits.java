package org.ebpf4j.btf;

/** Limits from Linux's {@code btf.h}. */
final class BtfLimits {
    /** {@code BTF_MAX_TYPE}: the largest type id. */
    static final long MAX_TYPE_ID = 0x000f_ffff;

    private BtfLimits() {
    }
}
