package org.ebpf4j.spec.context;

import java.util.Optional;
import org.ebpf4j.spec.ProgramType;

/** The context each program type receives: the one description the verifier and the engines share. */
public final class ProgramContexts {
    private ProgramContexts() {}

    /** The context layout of {@code type}, or empty for types whose context is not described yet. */
    public static Optional<ContextLayout> of(ProgramType type) {
        return switch (type) {
            case XDP -> Optional.of(XdpMd.LAYOUT);
            case SOCKET_FILTER -> Optional.of(SkBuff.SOCKET_FILTER);
            case SCHED_CLS, SCHED_ACT -> Optional.of(SkBuff.TC);
            default -> Optional.empty();
        };
    }
}
