package org.ebpf4j.spec;

import java.util.Optional;

/**
 * The {@code pinning} attribute of a BTF-defined map ({@code __uint(pinning, LIBBPF_PIN_BY_NAME)}). These numbers are
 * libbpf's ({@code enum libbpf_pin_type} in {@code libbpf.h}), not the kernel's: the kernel never sees them, but
 * objects carry them.
 */
public enum MapPinning implements KernelEnum {
    /** Not pinned. */
    NONE(0),
    /** Pinned under the pin root path by the map's name, and reused if already pinned. */
    BY_NAME(1);

    private final int value;

    MapPinning(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** {@code LIBBPF_PIN_NONE} or {@code LIBBPF_PIN_BY_NAME}. */
    @Override
    public String kernelName() {
        return "LIBBPF_PIN_" + name();
    }

    /** The pinning numbered {@code value}, or empty for anything libbpf rejects. */
    public static Optional<MapPinning> of(int value) {
        for (MapPinning pinning : values()) {
            if (pinning.value == value) {
                return Optional.of(pinning);
            }
        }
        return Optional.empty();
    }
}
