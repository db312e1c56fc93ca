package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** {@code BPF_BTF_LOAD}: a raw BTF blob into the kernel, with the kernel's log when it refuses. */
final class BtfCommands {
    private static final int LOG_SIZE = 1 << 20;

    private BtfCommands() {}

    /** One load's answer: a BTF fd, or the errno and the kernel's reasons. */
    sealed interface Answer {
        record Loaded(Fd btf) implements Answer {}

        record Refused(int errno, String log) implements Answer {}
    }

    /** Loads quietly; a refusal is asked again with a log, for the reasons (as for programs). */
    static Answer load(byte[] blob) {
        Answer quiet = load(blob, 0);
        if (quiet instanceof Answer.Refused refused) {
            Answer logged = load(blob, 1);
            return logged instanceof Answer.Refused withLog
                    ? new Answer.Refused(refused.errno(), withLog.log()) : logged;
        }
        return quiet;
    }

    private static Answer load(byte[] blob, int logLevel) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.BTF_LOAD)
                    .pointer("btf", arena.allocateFrom(ValueLayout.JAVA_BYTE, blob))
                    .u32("btf_size", blob.length);
            MemorySegment log = MemorySegment.NULL;
            if (logLevel > 0) {
                log = arena.allocate(LOG_SIZE);
                attr.pointer("btf_log_buf", log).u32("btf_log_size", LOG_SIZE).u32("btf_log_level", logLevel);
            }
            Syscalls.Result result = Syscalls.bpf(BpfCommand.BTF_LOAD, attr.segment());
            if (!result.failed()) {
                return new Answer.Loaded(new Fd((int) result.value()));
            }
            return new Answer.Refused(result.errno(), logLevel > 0 ? log.getString(0, StandardCharsets.UTF_8) : "");
        }
    }
}
