package org.ebpf4j.runtime.jit;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls between the hidden classes of one program. A program too large for one class (the constant pool holds at
 * most 65535 entries) is spread over several; hidden classes cannot name each other, so a call into another class
 * is an {@code invokedynamic} that this bootstrap binds, on first use, to a constant call site that C2 inlines
 * through like a static call. Every class of the program has this linkage as class data element 0.
 */
final class JitLinkage {
    static final int CLASS_DATA_INDEX = 0;
    private final Map<String, MethodHandle> methods = new HashMap<>();

    synchronized void add(MethodHandles.Lookup lookup, String name, MethodType type)
            throws ReflectiveOperationException {
        methods.put(name, lookup.findStatic(lookup.lookupClass(), name, type));
    }

    /** The bootstrap of every cross-class call: the method of that name in whichever class of the program has it. */
    static CallSite link(MethodHandles.Lookup caller, String name, MethodType type)
            throws IllegalAccessException {
        JitLinkage linkage = MethodHandles.classDataAt(caller, "_", JitLinkage.class, CLASS_DATA_INDEX);
        MethodHandle target;
        synchronized (linkage) {
            target = linkage.methods.get(name);
        }
        if (target == null) {
            throw new IllegalStateException("JIT: no generated method " + name);
        }
        return new ConstantCallSite(target.asType(type));
    }
}
