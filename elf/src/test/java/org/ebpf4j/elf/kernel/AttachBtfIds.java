package org.ebpf4j.elf.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.OptionalInt;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/**
 * {@code attach_btf_id} for programs that the kernel verifies against a kernel function's BTF, found by name in
 * {@code /sys/kernel/btf/vmlinux} with ebpf4j's own parser, under the names libbpf looks for: the function itself
 * for fentry, fexit and fmod_ret, {@code bpf_lsm_HOOK} for lsm, the {@code btf_trace_TP} typedef for tp_btf and
 * {@code bpf_iter_NAME} for iter.
 */
final class AttachBtfIds {
    private static Btf vmlinux;

    private AttachBtfIds() {}

    /** What a program needs: no id, an id, or a reason it cannot be resolved on this machine. */
    sealed interface Resolution {
        record NotNeeded() implements Resolution {}

        record Found(int id) implements Resolution {}

        record Unresolvable(String reason) implements Resolution {}
    }

    static Resolution of(ProgramSpec program) {
        if (program.type() != ProgramType.TRACING && program.type() != ProgramType.LSM) {
            return new Resolution.NotNeeded();
        }
        Optional<AttachType> attach = program.expectedAttachType();
        if (!(program.attachTarget() instanceof AttachTarget.Named(String target))) {
            return new Resolution.Unresolvable("section " + program.sectionName() + " names no attach target");
        }
        if (attach.isEmpty()) {
            return new Resolution.Unresolvable(program.type().kernelName() + " without an expected attach type");
        }
        return switch (attach.get()) {
            case TRACE_FENTRY, TRACE_FEXIT, MODIFY_RETURN -> find(target, BtfKind.FUNC);
            case LSM_MAC -> find("bpf_lsm_" + target, BtfKind.FUNC);
            case TRACE_RAW_TP -> find("btf_trace_" + target, BtfKind.TYPEDEF);
            case TRACE_ITER -> find("bpf_iter_" + target, BtfKind.FUNC);
            default -> new Resolution.Unresolvable("no attach BTF rule for " + attach.get().kernelName());
        };
    }

    private static Resolution find(String name, BtfKind kind) {
        OptionalInt id = vmlinux().typeId(name, kind);
        return id.isPresent() ? new Resolution.Found(id.getAsInt())
                : new Resolution.Unresolvable("this kernel's BTF has no " + kind + " " + name);
    }

    private static synchronized Btf vmlinux() {
        if (vmlinux == null) {
            try {
                vmlinux = Btf.parse(Files.readAllBytes(KernelAccess.VMLINUX_BTF));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vmlinux;
    }
}
