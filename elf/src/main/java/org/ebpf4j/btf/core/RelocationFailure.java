package org.ebpf4j.btf.core;

/**
 * Thrown inside this package where only the reason is known; {@link CoreRelocator} adds the slot, kind, type and
 * access string and rethrows it as a {@link CoreRelocationException}.
 */
final class RelocationFailure extends RuntimeException {
    RelocationFailure(String reason) {
        super(reason, null, false, false);
    }
}
