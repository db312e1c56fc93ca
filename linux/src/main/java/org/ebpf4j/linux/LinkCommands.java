package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import org.ebpf4j.spec.AttachType;

/** The link commands of {@code bpf()}: each creates a link fd whose closing detaches the program. */
final class LinkCommands {
    private LinkCommands() {}

    /**
     * {@code BPF_LINK_CREATE}: attaches {@code program} to {@code target} (an ifindex, a cgroup or perf event fd)
     * at hook {@code type}. {@code describe} names the attachment in errors.
     */
    static Fd create(Fd program, int target, AttachType type, int flags, String describe) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.LINK_CREATE)
                    .u32("prog_fd", program.value())
                    .u32("target_fd", target)
                    .u32("attach_type", type.value())
                    .u32("flags", flags);
            Syscalls.Result result = Syscalls.bpf(BpfCommand.LINK_CREATE, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.LINK_CREATE, describe, result.errno());
            }
            return new Fd((int) result.value());
        }
    }

    /** {@code BPF_RAW_TRACEPOINT_OPEN}: attaches a raw tracepoint program to the tracepoint {@code name}. */
    static Fd rawTracepointOpen(Fd program, String name, String describe) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.RAW_TRACEPOINT_OPEN)
                    .pointer("name", arena.allocateFrom(name))
                    .u32("prog_fd", program.value());
            Syscalls.Result result = Syscalls.bpf(BpfCommand.RAW_TRACEPOINT_OPEN, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.RAW_TRACEPOINT_OPEN, describe, result.errno());
            }
            return new Fd((int) result.value());
        }
    }
}
