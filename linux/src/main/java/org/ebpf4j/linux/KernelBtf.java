package org.ebpf4j.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfWriter;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;

/**
 * An object's BTF loaded into the kernel ({@code BPF_BTF_LOAD}), and each program's func_info and line_info in the
 * kernel's records, pointing into it. The blob is written anew ({@link BtfWriter}) from the object's types after
 * {@link BtfSanitizer} has rewritten what this kernel does not know; the source file names and lines of
 * {@code .BTF.ext} go into its string section. The kernel takes its own reference for every program and map
 * created with the fd, so the fd can be closed once the collection is loaded.
 */
final class KernelBtf implements AutoCloseable {
    /** {@code sizeof(struct bpf_func_info)}: insn_off, type_id. */
    static final int FUNC_INFO_SIZE = 8;
    /** {@code sizeof(struct bpf_line_info)}: insn_off, file_name_off, line_off, line_col. */
    static final int LINE_INFO_SIZE = 16;

    private final Fd fd;
    private final BtfWriter strings;
    private final BtfFeatures features;

    private KernelBtf(Fd fd, BtfWriter strings, BtfFeatures features) {
        this.fd = fd;
        this.strings = strings;
        this.features = features;
    }

    /** Loaded, or why the collection goes without BTF. */
    sealed interface Outcome {
        record Loaded(KernelBtf btf) implements Outcome {}

        record Absent(String reason) implements Outcome {}
    }

    /** A program's debug records for {@code BPF_PROG_LOAD}, in the machine's byte order. */
    record DebugRecords(int btfFd, byte[] funcInfo, int funcInfoCount, byte[] lineInfo, int lineInfoCount) {}

    static Outcome load(CollectionSpec spec, BtfFeatures features) {
        if (!features.btf()) {
            return new Outcome.Absent("this kernel does not load BTF");
        }
        if (spec.btf().isEmpty()) {
            return new Outcome.Absent(spec.name() + " has no .BTF section");
        }
        Btf btf = spec.btf().get();
        BtfWriter writer = new BtfWriter(ByteOrder.nativeOrder());
        for (ProgramSpec program : spec.programs().values()) {
            for (ProgramSpec.SourceLine line : program.lines()) {
                writer.string(line.file());
                writer.string(line.text());
            }
        }
        byte[] blob = writer.write(BtfSanitizer.sanitize(btf, features));
        return switch (BtfCommands.load(blob)) {
            case BtfCommands.Answer.Loaded loaded -> new Outcome.Loaded(new KernelBtf(loaded.btf(), writer, features));
            case BtfCommands.Answer.Refused refused -> new Outcome.Absent("BPF_BTF_LOAD of " + spec.name()
                    + "'s BTF failed: " + LinuxBpfException.describe(refused.errno())
                    + (refused.log().isBlank() ? "" : ": " + ProgramLoader.reason(refused.log())));
        };
    }

    int fd() {
        return fd.value();
    }

    /**
     * The program's func_info and line_info, or only the fd when a function has no BTF FUNC: the kernel needs a
     * record for every function or none (line_info comes only with func_info), and a kernel without FUNC has
     * them as typedefs.
     */
    DebugRecords forProgram(ProgramSpec program) {
        List<ProgramSpec.FunctionStart> functions = program.functions();
        if (!features.func() || functions.isEmpty() || functions.stream().anyMatch(f -> f.btfTypeId() == 0)) {
            return new DebugRecords(fd(), new byte[0], 0, new byte[0], 0);
        }
        ByteBuffer funcs = ByteBuffer.allocate(FUNC_INFO_SIZE * functions.size()).order(ByteOrder.nativeOrder());
        for (ProgramSpec.FunctionStart f : functions) {
            funcs.putInt(f.slot()).putInt(f.btfTypeId());
        }
        List<ProgramSpec.SourceLine> lines = program.lines();
        ByteBuffer records = ByteBuffer.allocate(LINE_INFO_SIZE * lines.size()).order(ByteOrder.nativeOrder());
        for (ProgramSpec.SourceLine line : lines) {
            records.putInt(line.slot()).putInt(strings.string(line.file())).putInt(strings.string(line.text()))
                    .putInt(line.line() << 10 | line.column());
        }
        return new DebugRecords(fd(), funcs.array(), functions.size(), records.array(), lines.size());
    }

    @Override
    public void close() {
        fd.close();
    }
}
