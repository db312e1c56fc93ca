package org.ebpf4j.linux;

import java.util.OptionalInt;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/**
 * {@code attach_btf_id} for programs the kernel verifies against a kernel function's BTF, found by name in the
 * running kernel's BTF under the names libbpf looks for: the function itself for fentry, fexit and fmod_ret,
 * {@code bpf_lsm_HOOK} for lsm, the {@code btf_trace_TP} typedef for tp_btf and {@code bpf_iter_NAME} for iter.
 */
final class AttachBtfIds {
    private AttachBtfIds() {}

    /** 0 for programs that need no id; the id otherwise, or a {@link BpfException} saying why there is none. */
    static int of(ProgramSpec program) {
        if (program.type() != ProgramType.TRACING && program.type() != ProgramType.LSM) {
            return 0;
        }
        String who = "program '" + program.name() + "' (section " + program.sectionName() + ")";
        if (!(program.attachTarget() instanceof AttachTarget.Named(String target))) {
            throw new BpfException(who + " names no attach target");
        }
        AttachType attach = program.expectedAttachType()
                .orElseThrow(() -> new BpfException(who + " has no expected attach type"));
        return switch (attach) {
            case TRACE_FENTRY, TRACE_FEXIT, MODIFY_RETURN -> find(who, target, BtfKind.FUNC);
            case LSM_MAC -> find(who, "bpf_lsm_" + target, BtfKind.FUNC);
            case TRACE_RAW_TP -> find(who, "btf_trace_" + target, BtfKind.TYPEDEF);
            case TRACE_ITER -> find(who, "bpf_iter_" + target, BtfKind.FUNC);
            default -> throw new BpfException(who + ": no rule finds the attach BTF id of " + attach.kernelName());
        };
    }

    private static int find(String who, String name, BtfKind kind) {
        OptionalInt id = RunningKernel.requireVmlinuxBtf(who).typeId(name, kind);
        return id.orElseThrow(() -> new BpfException(who + ": the kernel's BTF has no " + kind + " " + name));
    }
}
