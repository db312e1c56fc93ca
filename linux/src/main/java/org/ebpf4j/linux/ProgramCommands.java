package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.ProgramType;

/** The program commands of {@code bpf()}: one load attempt, one test run. */
final class ProgramCommands {
    private ProgramCommands() {}

    /**
     * The attributes of {@code BPF_PROG_LOAD} this backend sets; {@code btf} is the object's BTF fd with the
     * program's func_info and line_info, empty to load without.
     */
    record Definition(String name, ProgramType type, Instructions instructions, String license, int kernelVersion,
                      int flags, int expectedAttachType, int attachBtfId, Optional<KernelBtf.DebugRecords> btf) {
        Definition(String name, ProgramType type, Instructions instructions, String license, int kernelVersion,
                   int flags, int expectedAttachType, int attachBtfId) {
            this(name, type, instructions, license, kernelVersion, flags, expectedAttachType, attachBtfId,
                    Optional.empty());
        }

        /** {@code program 'count' (XDP)}: how errors name the program. */
        String describe() {
            return "program '" + name + "' (" + type + ")";
        }
    }

    /** One load attempt's answer: a program fd, or the errno and what the verifier wrote into the log buffer. */
    sealed interface LoadAttempt {
        /** {@code log}: what the verifier wrote, empty when the load had no log buffer. */
        record Loaded(Fd program, String log) implements LoadAttempt {}

        /** {@code logTrueSize}: the size the whole log needs (Linux 6.4+; 0 when not reported). */
        record Refused(int errno, String log, int logTrueSize) implements LoadAttempt {}
    }

    /** Loads once; {@code logSize} 0 means no log buffer (and {@code logLevel} is then ignored). */
    static LoadAttempt load(Definition program, int logLevel, int logSize) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] code = program.instructions().encode();
            MemorySegment log = logSize > 0 ? arena.allocate(logSize) : MemorySegment.NULL;
            Attr attr = Attr.of(arena, BpfAttrLayouts.PROG_LOAD)
                    .u32("prog_type", program.type().value())
                    .u32("insn_cnt", code.length / 8)
                    .pointer("insns", arena.allocateFrom(ValueLayout.JAVA_BYTE, code))
                    .pointer("license", arena.allocateFrom(program.license()))
                    .u32("kern_version", program.kernelVersion())
                    .u32("prog_flags", program.flags())
                    .objectName("prog_name", program.name())
                    .u32("expected_attach_type", program.expectedAttachType())
                    .u32("attach_btf_id", program.attachBtfId());
            if (logSize > 0) {
                attr.u32("log_level", logLevel).u32("log_size", logSize).pointer("log_buf", log);
            }
            program.btf().ifPresent(btf -> debugInfo(arena, attr, btf));
            Syscalls.Result result = Syscalls.bpf(BpfCommand.PROG_LOAD, attr.segment());
            String text = logSize > 0 ? log.getString(0, StandardCharsets.UTF_8) : "";
            if (!result.failed()) {
                return new LoadAttempt.Loaded(new Fd((int) result.value()), text);
            }
            return new LoadAttempt.Refused(result.errno(), text, attr.u32("log_true_size"));
        }
    }

    private static void debugInfo(Arena arena, Attr attr, KernelBtf.DebugRecords btf) {
        attr.u32("prog_btf_fd", btf.btfFd());
        if (btf.funcInfoCount() > 0) {
            attr.u32("func_info_rec_size", KernelBtf.FUNC_INFO_SIZE)
                    .pointer("func_info", arena.allocateFrom(ValueLayout.JAVA_BYTE, btf.funcInfo()))
                    .u32("func_info_cnt", btf.funcInfoCount());
        }
        if (btf.lineInfoCount() > 0) {
            attr.u32("line_info_rec_size", KernelBtf.LINE_INFO_SIZE)
                    .pointer("line_info", arena.allocateFrom(ValueLayout.JAVA_BYTE, btf.lineInfo()))
                    .u32("line_info_cnt", btf.lineInfoCount());
        }
    }

    /** What {@code BPF_PROG_TEST_RUN} gave back. */
    record TestRunOutput(int retval, int durationNanos, byte[] dataOut, byte[] contextOut) {}

    /**
     * Runs the program {@code repeat} times on {@code data} (and {@code context}, when not null). The output buffers
     * have room for {@code dataRoom} bytes of packet and as much context as went in; the kernel says ENOSPC when
     * the packet grew beyond that.
     */
    static TestRunOutput testRun(Fd program, String describe, byte[] data, int dataRoom, byte[] context,
                                 int repeat) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.PROG_TEST_RUN)
                    .u32("prog_fd", program.value())
                    .u32("repeat", repeat);
            MemorySegment dataOut = MemorySegment.NULL;
            if (data.length > 0) {
                dataOut = arena.allocate(dataRoom);
                attr.u32("data_size_in", data.length)
                        .pointer("data_in", arena.allocateFrom(ValueLayout.JAVA_BYTE, data))
                        .u32("data_size_out", dataRoom)
                        .pointer("data_out", dataOut);
            }
            MemorySegment contextOut = MemorySegment.NULL;
            if (context != null && context.length > 0) {
                contextOut = arena.allocate(context.length);
                attr.u32("ctx_size_in", context.length)
                        .pointer("ctx_in", arena.allocateFrom(ValueLayout.JAVA_BYTE, context))
                        .u32("ctx_size_out", context.length)
                        .pointer("ctx_out", contextOut);
            }
            Syscalls.Result result = Syscalls.bpf(BpfCommand.PROG_TEST_RUN, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.PROG_TEST_RUN, describe, result.errno());
            }
            return new TestRunOutput(attr.u32("retval"), attr.u32("duration"),
                    copyOut(dataOut, attr.u32("data_size_out")), copyOut(contextOut, attr.u32("ctx_size_out")));
        }
    }

    /**
     * {@code BPF_PROG_TEST_RUN} for the types whose run takes only a context (RAW_TRACEPOINT, SYSCALL): the kernel
     * refuses {@code repeat}, {@code ctx_out} and packet data there (EINVAL), so one run sends none of them (data
     * and repeats above 1 are passed on for the kernel to refuse). SYSCALL programs write their context back into
     * {@code ctx_in}: with {@code inPlace} that buffer is the context out.
     */
    static TestRunOutput testRunContext(Fd program, String describe, byte[] data, byte[] context, int repeat,
                                        boolean inPlace) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.PROG_TEST_RUN)
                    .u32("prog_fd", program.value())
                    .u32("repeat", repeat == 1 ? 0 : repeat);
            if (data.length > 0) {
                attr.u32("data_size_in", data.length)
                        .pointer("data_in", arena.allocateFrom(ValueLayout.JAVA_BYTE, data));
            }
            MemorySegment contextIn = MemorySegment.NULL;
            if (context != null && context.length > 0) {
                contextIn = arena.allocateFrom(ValueLayout.JAVA_BYTE, context);
                attr.u32("ctx_size_in", context.length).pointer("ctx_in", contextIn);
            }
            Syscalls.Result result = Syscalls.bpf(BpfCommand.PROG_TEST_RUN, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.PROG_TEST_RUN, describe, result.errno());
            }
            byte[] out = inPlace ? copyOut(contextIn, (int) contextIn.byteSize()) : new byte[0];
            return new TestRunOutput(attr.u32("retval"), attr.u32("duration"), new byte[0], out);
        }
    }

    private static byte[] copyOut(MemorySegment buffer, int size) {
        if (buffer.equals(MemorySegment.NULL)) {
            return new byte[0];
        }
        return buffer.asSlice(0, Math.min(size, buffer.byteSize())).toArray(ValueLayout.JAVA_BYTE);
    }
}
