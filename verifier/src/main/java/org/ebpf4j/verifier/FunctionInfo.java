package org.ebpf4j.verifier;

import java.util.List;
import java.util.Objects;

/**
 * One record of a program's BTF func_info, as {@code BPF_PROG_LOAD} receives it with the program's BTF: a
 * subprogram's first instruction, its name and linkage, and for a global function what its BTF prototype says of
 * each argument and of the return value. The kernel verifies a global function once, on its own, for any arguments
 * matching the prototype, and a call to it only checks the arguments against the prototype; static functions are
 * verified at each call with the caller's registers.
 *
 * @param insn the subprogram's first instruction (the kernel's insn_off)
 * @param name the function's name
 * @param global BTF_FUNC_GLOBAL linkage (static otherwise)
 * @param arguments the prototype's parameters, first to last (r1 to r5)
 * @param returnsScalar whether the prototype returns an integer or an enum
 */
public record FunctionInfo(int insn, String name, boolean global, List<Argument> arguments, boolean returnsScalar) {

    /** What a global function's parameter is, as btf_prepare_func_args classifies it. */
    public enum Argument {
        /** An integer or enum: any number. */
        SCALAR,
        /** A pointer to the program type's context structure. */
        CONTEXT,
        /** Anything else (memory of a BTF type, dynptrs, arena, ...): not modelled by ebpf4j yet. */
        OTHER
    }

    public FunctionInfo {
        Objects.requireNonNull(name);
        arguments = List.copyOf(arguments);
    }
}
