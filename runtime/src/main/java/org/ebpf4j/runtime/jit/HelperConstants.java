package org.ebpf4j.runtime.jit;

import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.runtime.helpers.HelperRegistry;

/**
 * The helpers a program calls by constant id, handed to its hidden class as class data: each call site loads its
 * helper with one {@code ldc} of a dynamic constant, which C2 treats as a true constant and inlines through.
 */
final class HelperConstants {
    /** Class data before the helpers: the program's {@link JitLinkage}, then its blinding key. */
    static final int KEY_INDEX = 1;
    private static final int FIRST_HELPER_INDEX = 2;
    private final HelperRegistry registry;
    private final List<Object> classData = new ArrayList<>();
    private final Map<Integer, DynamicConstantDesc<Helper>> byId = new HashMap<>();

    HelperConstants(HelperRegistry registry) {
        this.registry = registry;
    }

    /** The constant of helper {@code id}, or null when the registry has none (the call then faults at run time). */
    DynamicConstantDesc<Helper> constant(int id) {
        Helper helper = registry.get(id);
        if (helper == null) {
            return null;
        }
        return byId.computeIfAbsent(id, unused -> {
            classData.add(helper);
            return DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME,
                    MethodEmitter.CD_HELPER, FIRST_HELPER_INDEX + classData.size() - 1);
        });
    }

    List<Object> classData() {
        return List.copyOf(classData);
    }
}
