package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessFlag;
import java.util.HashMap;
import java.util.Map;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.interpreter.Interpreter;

/**
 * Compiles eBPF to JVM bytecode: one hidden class per program, one static method per subprogram, loaded with the
 * program's helpers as class data. A program the JIT cannot yet compile (a method over HotSpot's 8000-byte limit,
 * jumps across subprograms) runs on the interpreter instead, and the reason is logged.
 */
public final class Jit {
    /** HotSpot never compiles a method whose bytecode is larger (DontCompileHugeMethods). */
    static final int HUGE_METHOD_LIMIT = 8000;
    private static final System.Logger LOG = System.getLogger(Jit.class.getName());
    private static final ClassDesc CD_ENTRY = ClassDesc.of(JitEntry.class.getName());

    private Jit() {}

    /**
     * Prepares a program: loads it on the interpreter first (the same structural checks, errors and map
     * resolution), then compiles it; the interpreter is the fallback.
     */
    public static Executable load(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                  MapResolver maps) {
        Map<Integer, Long> resolved = new HashMap<>();
        MapResolver recording = maps == null ? null : (slot, pseudo, imm) -> {
            long value = maps.resolve(slot, pseudo, imm);
            resolved.put(slot, value);
            return value;
        };
        Interpreter interpreter = Interpreter.load(program, helpers, backwardJumpLimit, recording);
        try {
            return compile(program, helpers, backwardJumpLimit, resolved);
        } catch (Subprograms.Unsupported | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.INFO, "JIT: running the program on the interpreter: {0}", e.getMessage());
            return interpreter;
        }
    }

    private static Executable compile(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                      Map<Integer, Long> resolved) {
        long[] constants = new long[program.slotCount()];
        for (int i = 0; i < program.size(); i++) {
            var insn = program.get(i);
            if (insn.isLddw()) {
                int slot = program.slotOf(i);
                constants[slot] = resolved.getOrDefault(slot, insn.imm());
            }
        }
        Subprograms subprograms = Subprograms.of(program);
        ClassDesc owner = ClassDesc.of(Jit.class.getPackageName() + ".CompiledProgram");
        HelperConstants helperConstants = new HelperConstants(helpers);
        var emitter = new MethodEmitter(owner, program, subprograms, constants, helperConstants,
                backwardJumpLimit != Long.MAX_VALUE);
        byte[] bytes = ClassFile.of().build(owner, cls -> {
            cls.withFlags(AccessFlag.FINAL, AccessFlag.SYNTHETIC)
                    .withInterfaceSymbols(CD_ENTRY)
                    .withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC, code -> code
                            .aload(0).invokespecial(CD_Object, INIT_NAME, MTD_void).return_())
                    .withMethodBody("enter", MethodTypeDesc.of(CD_long, MethodEmitter.CD_RUN,
                            CD_long, CD_long, CD_long, CD_long, CD_long), ClassFile.ACC_PUBLIC, code -> {
                        code.aload(1).iconst_0().lconst_0();
                        for (int r = 1; r <= 5; r++) {
                            code.lload(2 * r);
                        }
                        for (int r = 6; r <= 9; r++) {
                            code.lconst_0();
                        }
                        code.invokestatic(owner, MethodEmitter.methodName(0), MethodEmitter.SUBPROGRAM_TYPE)
                                .lreturn();
                    })
                    .withMethodBody("frame", MethodTypeDesc.of(CD_long, MethodEmitter.CD_RUN, CD_int, CD_long),
                            ClassFile.ACC_PUBLIC, code -> {
                        code.aload(1).iload(2).lconst_0().lload(3);
                        for (int r = 2; r <= 9; r++) {
                            code.lconst_0();
                        }
                        code.invokestatic(owner, MethodEmitter.methodName(0), MethodEmitter.SUBPROGRAM_TYPE)
                                .lreturn();
                    })
                    .withMethodBody("callback", MethodTypeDesc.of(CD_long, MethodEmitter.CD_RUN, CD_int, CD_int,
                            CD_long, CD_long, CD_long, CD_long, CD_long), ClassFile.ACC_PUBLIC,
                            code -> emitCallbackDispatch(code, owner, subprograms));
            for (int k = 0; k < subprograms.count(); k++) {
                int index = k;
                cls.withMethodBody(MethodEmitter.methodName(subprograms.start(k)), MethodEmitter.SUBPROGRAM_TYPE,
                        ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE, code -> emitter.emit(code, index));
            }
        });
        checkMethodSizes(ClassFile.of().parse(bytes));
        try {
            var lookup = MethodHandles.lookup().defineHiddenClassWithClassData(bytes, helperConstants.classData(),
                    true);
            var entry = (JitEntry) lookup.findConstructor(lookup.lookupClass(),
                    java.lang.invoke.MethodType.methodType(void.class)).invoke();
            return new JitProgram(entry, program, helpers, backwardJumpLimit);
        } catch (Throwable e) {
            throw new IllegalStateException("JIT: the generated class does not load", e);
        }
    }

    /**
     * {@code callback(run, slot, depth, r1..r5)}: a switch over the subprogram entries, each calling its method
     * with r0 and r6-r9 zero; any other slot faults (JitRun checked that it is an instruction).
     */
    private static void emitCallbackDispatch(java.lang.classfile.CodeBuilder code, ClassDesc owner,
                                             Subprograms subprograms) {
        var other = code.newLabel();
        var cases = new java.util.ArrayList<java.lang.classfile.instruction.SwitchCase>();
        var labels = new java.util.ArrayList<java.lang.classfile.Label>();
        for (int k = 0; k < subprograms.count(); k++) {
            var label = code.newLabel();
            labels.add(label);
            cases.add(java.lang.classfile.instruction.SwitchCase.of(subprograms.start(k), label));
        }
        code.iload(2).lookupswitch(other, cases);
        for (int k = 0; k < subprograms.count(); k++) {
            code.labelBinding(labels.get(k)).aload(1).iload(3).lconst_0();
            for (int r = 1; r <= 5; r++) {
                code.lload(2 + 2 * r);
            }
            for (int r = 6; r <= 9; r++) {
                code.lconst_0();
            }
            code.invokestatic(owner, MethodEmitter.methodName(subprograms.start(k)), MethodEmitter.SUBPROGRAM_TYPE)
                    .lreturn();
        }
        code.labelBinding(other).iload(2).iload(2)
                .invokestatic(ClassDesc.of(JitRuntime.class.getName()), "callxIntoSubprogram",
                        MethodTypeDesc.of(ClassDesc.of(org.ebpf4j.runtime.ProgramFault.class.getName()), CD_int,
                                CD_int))
                .athrow();
    }

    private static void checkMethodSizes(ClassModel model) {
        for (var method : model.methods()) {
            method.findAttribute(java.lang.classfile.Attributes.code()).ifPresent(code -> {
                int length = ((CodeAttribute) code).codeLength();
                if (length >= HUGE_METHOD_LIMIT) {
                    throw new Subprograms.Unsupported("method " + method.methodName().stringValue() + " has "
                            + length + " bytes of bytecode, over HotSpot's limit of " + HUGE_METHOD_LIMIT
                            + " for compiled methods; splitting is not implemented yet");
                }
            });
        }
    }
}
