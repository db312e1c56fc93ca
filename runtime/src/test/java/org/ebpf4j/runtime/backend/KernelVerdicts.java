package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;

/** One program verified by the running kernel and by ebpf4j: the kernel's verdict and last log line are the truth. */
final class KernelVerdicts {
    private KernelVerdicts() {}

    enum Outcome { ACCEPTED, REJECTED, UNSUPPORTED }

    /**
     * Loads {@code code} in the kernel and verifies it here: the same verdict and message, or a feature ebpf4j's
     * verifier names as unsupported (callers assert where that may happen).
     */
    static Outcome compare(Backend kernel, ProgramType type, Optional<AttachType> attach, int flags,
                           Instructions code, String what) {
        CollectionSpec spec = oneProgram("ctx", type, attach, flags, code);
        String expected;
        try (Collection loaded = kernel.load(spec)) {
            expected = "accept";
        } catch (VerifierException e) {
            expected = lastLine(e.log());
        }
        Verdict ours = Verifier.verify(code, new VerifierOptions(type.value(),
                attach.map(AttachType::value).orElse(0), flags, true));
        if (ours instanceof Verdict.Rejected r && r.cause() == Verdict.Cause.UNSUPPORTED) {
            return Outcome.UNSUPPORTED;
        }
        String actual = ours instanceof Verdict.Rejected r ? r.message() : "accept";
        assertEquals(expected, actual, type + " " + attach.map(AttachType::name).orElse("") + " " + what);
        return actual.equals("accept") ? Outcome.ACCEPTED : Outcome.REJECTED;
    }

    /** A collection of one GPL program called {@code name}, without maps. */
    static CollectionSpec oneProgram(String name, ProgramType type, Optional<AttachType> attach, int flags,
                                     Instructions code) {
        ProgramSpec program = new ProgramSpec(name, name, type, attach, new AttachTarget.None(), flags, "GPL", 0,
                code, List.of(), List.of(), List.of(), List.of());
        return new CollectionSpec(name, Map.of(name, program), Map.of(), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    /** What a sweep of one-access programs found: how many ran, how many were accepted, which are unsupported. */
    record Sweep(int compared, int accepted, List<String> unsupported) {}

    private static final Size[] SIZES = {Size.B, Size.H, Size.W, Size.DW};

    /**
     * One load, sign-extending load (below 8 bytes) and store of each size at each of {@code offsets} from the
     * context, each followed by {@code r0 = 1; exit}, compared with the kernel ({@link #compare}).
     */
    static Sweep everyAccess(Backend kernel, ProgramType type, Optional<AttachType> attach, int flags,
                             List<Integer> offsets) {
        int compared = 0;
        int accepted = 0;
        List<String> unsupported = new ArrayList<>();
        for (Size size : SIZES) {
            for (int off : offsets) {
                if (off + size.bytes > Short.MAX_VALUE + 1) {
                    continue;
                }
                Map<String, Instructions> programs = new LinkedHashMap<>();
                programs.put("read ", new ProgramBuilder().ldx(size, Register.R0, Register.R1, off)
                        .mov64(Register.R0, 1).exit().build());
                programs.put("write ", new ProgramBuilder().mov64(Register.R2, 0)
                        .stx(size, Register.R1, off, Register.R2).mov64(Register.R0, 1).exit().build());
                if (size != Size.DW) {
                    programs.put("sign-extending read ", new ProgramBuilder().ldxsx(size, Register.R0, Register.R1,
                            off).mov64(Register.R0, 1).exit().build());
                }
                for (Map.Entry<String, Instructions> program : programs.entrySet()) {
                    String what = program.getKey() + size + " at " + off;
                    switch (compare(kernel, type, attach, flags, program.getValue(), what)) {
                        case ACCEPTED -> accepted++;
                        case UNSUPPORTED -> unsupported.add(what);
                        case REJECTED -> { }
                    }
                }
                compared += programs.size();
            }
        }
        return new Sweep(compared, accepted, unsupported);
    }

    /** The highest helper id of Linux 6.18 ({@code __BPF_FUNC_MAX_ID - 1}). */
    static final int LAST_HELPER = 211;

    /**
     * Every helper id called with r1-r5 zero, then {@code r0 = 1; exit}, compared with the kernel; returns how many
     * ebpf4j decides (the rest it calls unsupported).
     */
    static int everyHelper(Backend kernel, ProgramType type, Optional<AttachType> attach, int flags) {
        int decided = 0;
        for (int id = 1; id <= LAST_HELPER; id++) {
            ProgramBuilder b = new ProgramBuilder();
            for (Register r : List.of(Register.R1, Register.R2, Register.R3, Register.R4, Register.R5)) {
                b.mov64(r, 0);
            }
            Instructions code = b.call(id).mov64(Register.R0, 1).exit().build();
            if (compare(kernel, type, attach, flags, code, "call #" + id) != Outcome.UNSUPPORTED) {
                decided++;
            }
        }
        return decided;
    }

    static String lastLine(String log) {
        String last = "";
        for (String line : log.split("\n")) {
            if (!line.isBlank() && !line.startsWith("processed ")) {
                last = line.strip();
            }
        }
        return last;
    }
}
