package org.ebpf4j.verifier.cfg;

import java.util.List;
import org.ebpf4j.verifier.FunctionInfo;
import org.ebpf4j.verifier.VerificationFailure;

/** The kernel's check_btf_func: func_info, where given, has one record per subprogram, at its first instruction. */
public final class FunctionInfoCheck {
    private FunctionInfoCheck() {}

    public static void check(Subprograms subprograms, List<FunctionInfo> functions) {
        if (functions.isEmpty()) {
            return;
        }
        if (functions.size() != subprograms.count()) {
            throw VerificationFailure.rule(-1, "number of funcs in func_info doesn't match number of subprogs");
        }
        for (int i = 0; i < functions.size(); i++) {
            if (functions.get(i).insn() != subprograms.start(i)) {
                throw VerificationFailure.rule(-1,
                        "func_info BTF section doesn't match subprog layout in BPF program");
            }
        }
    }
}
