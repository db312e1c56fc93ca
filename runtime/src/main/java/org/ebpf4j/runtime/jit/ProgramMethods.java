package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;

import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.HashMap;
import java.util.Map;

/**
 * Which class of the program holds each generated method, and how a method calls another: {@code invokestatic}
 * within a class, {@code invokedynamic} bound by {@link JitLinkage} across classes.
 */
final class ProgramMethods {
    private static final DirectMethodHandleDesc LINK = ofCallsiteBootstrap(
            ClassDesc.of(JitLinkage.class.getName()), "link", CD_CallSite);
    private final Map<String, ClassDesc> owners = new HashMap<>();

    void place(String name, ClassDesc owner) {
        owners.put(name, owner);
    }

    void invoke(CodeBuilder code, ClassDesc from, String name, MethodTypeDesc type) {
        ClassDesc to = owners.get(name);
        if (to == null) {
            throw new IllegalStateException("JIT: no generated method " + name);
        }
        if (to.equals(from)) {
            code.invokestatic(from, name, type);
        } else {
            code.invokedynamic(DynamicCallSiteDesc.of(LINK, name, type));
        }
    }
}
