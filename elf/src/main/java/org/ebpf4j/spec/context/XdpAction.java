package org.ebpf4j.spec.context;

import java.util.Optional;

/** What an XDP program's return value asks for ({@code enum xdp_action}). */
public enum XdpAction {
    ABORTED(0),
    DROP(1),
    PASS(2),
    TX(3),
    REDIRECT(4);

    private final int value;

    XdpAction(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The action a return value names, or empty for values outside the enum (the kernel warns and drops). */
    public static Optional<XdpAction> of(long returnValue) {
        for (XdpAction a : values()) {
            if (a.value == returnValue) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
