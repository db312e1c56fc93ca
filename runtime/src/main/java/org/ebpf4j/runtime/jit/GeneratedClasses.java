package org.ebpf4j.runtime.jit;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/** The class files of one program, ready to define. */
record GeneratedClasses(List<byte[]> classFiles, List<List<String>> methodNames,
                        List<List<MethodTypeDesc>> methodTypes, Long blindingKey, List<Object> helpers) {

    /** A description of the first method over the limit, or null when there is none. */
    String oversizedMethod() {
        for (byte[] bytes : classFiles) {
            ClassModel model = ClassFile.of().parse(bytes);
            for (var method : model.methods()) {
                var code = method.findAttribute(java.lang.classfile.Attributes.code());
                if (code.isPresent() && ((CodeAttribute) code.get()).codeLength() > Jit.HUGE_METHOD_LIMIT) {
                    return "method " + method.methodName().stringValue() + " has "
                            + ((CodeAttribute) code.get()).codeLength() + " bytes of bytecode, over HotSpot's"
                            + " limit of " + Jit.HUGE_METHOD_LIMIT + " for compiled methods, and no smaller split"
                            + " fits";
                }
            }
        }
        return null;
    }

    JitEntry define() {
        var linkage = new JitLinkage();
        List<Object> classData = new ArrayList<>();
        classData.add(linkage);
        classData.add(blindingKey == null ? 0L : blindingKey);
        classData.addAll(helpers);
        try {
            JitEntry entry = null;
            var here = MethodHandles.lookup();
            for (int i = 0; i < classFiles.size(); i++) {
                var lookup = here.defineHiddenClassWithClassData(classFiles.get(i), classData, true);
                for (int m = 0; m < methodNames.get(i).size(); m++) {
                    MethodType type = methodTypes.get(i).get(m).resolveConstantDesc(here);
                    linkage.add(lookup, methodNames.get(i).get(m), type);
                }
                if (i == 0) {
                    entry = (JitEntry) lookup.findConstructor(lookup.lookupClass(),
                            MethodType.methodType(void.class)).invoke();
                }
            }
            return entry;
        } catch (Throwable e) {
            throw new IllegalStateException("JIT: the generated classes do not load", e);
        }
    }
}
