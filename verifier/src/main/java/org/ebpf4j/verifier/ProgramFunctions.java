package org.ebpf4j.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/**
 * A linked program's func_info for the verifier ({@link VerifierOptions#functions()}), from the object's BTF: each
 * function's linkage and, for global ones, the kinds of its parameters as btf_prepare_func_args reads them.
 */
public final class ProgramFunctions {
    private ProgramFunctions() {}

    /** The func_info records, or none where the object has no BTF or a function lacks its BTF FUNC. */
    public static List<FunctionInfo> of(ProgramSpec program, Optional<Btf> btf) {
        if (btf.isEmpty() || program.functions().isEmpty()) {
            return List.of();
        }
        List<FunctionInfo> infos = new ArrayList<>();
        for (ProgramSpec.FunctionStart f : program.functions()) {
            if (f.btfTypeId() == 0 || !(btf.get().type(f.btfTypeId()) instanceof BtfType.Func func)
                    || !(btf.get().type(func.type()) instanceof BtfType.FuncProto proto)) {
                return List.of();
            }
            boolean global = func.linkage() == org.ebpf4j.btf.Linkage.GLOBAL;
            List<FunctionInfo.Argument> arguments = new ArrayList<>();
            for (org.ebpf4j.btf.Param param : proto.params()) {
                arguments.add(argument(btf.get(), param.type(), program.type()));
            }
            infos.add(new FunctionInfo(f.slot(), f.name(), global, arguments,
                    isScalar(btf.get(), proto.returnType())));
        }
        return infos;
    }

    private static FunctionInfo.Argument argument(Btf btf, int typeId, ProgramType programType) {
        if (isScalar(btf, typeId)) {
            return FunctionInfo.Argument.SCALAR;
        }
        int resolved = btf.resolve(typeId);
        if (resolved != 0 && btf.type(resolved) instanceof BtfType.Ptr ptr && btf.resolve(ptr.type()) != 0 && btf.type(btf.resolve(ptr.type())) instanceof BtfType.Struct s
                && s.name().equals(contextStruct(programType))) {
            return FunctionInfo.Argument.CONTEXT;
        }
        return FunctionInfo.Argument.OTHER;
    }

    /** An integer or an enum, through typedefs and qualifiers (void is not). */
    private static boolean isScalar(Btf btf, int typeId) {
        int id = btf.resolve(typeId);
        return id != 0 && (btf.type(id) instanceof BtfType.Int || btf.type(id) instanceof BtfType.Enumeration);
    }

    /** The context structure's name in BTF for the program types whose context ebpf4j models. */
    private static String contextStruct(ProgramType type) {
        return switch (type) {
            case XDP -> "xdp_md";
            case SOCKET_FILTER, SCHED_CLS, SCHED_ACT -> "__sk_buff";
            default -> "";
        };
    }
}
