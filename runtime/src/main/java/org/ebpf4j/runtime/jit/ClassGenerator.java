package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.verifier.facts.AccessFacts;

/** Plans a program's methods, places them in classes and emits those. */
final class ClassGenerator {
    private static final ClassDesc CD_ENTRY = ClassDesc.of(JitEntry.class.getName());
    /** The JVM's limit on the entries of one constant pool. */
    static final int MAX_CONSTANT_POOL = 65_535;

    /** A class whose constants outgrew its pool: the program is planned again with smaller classes. */
    static final class ConstantPoolFull extends RuntimeException {
        ConstantPoolFull(String message) {
            super(message);
        }
    }

    /** One generated method: where it goes, and how to emit its body. */
    private record Planned(String name, MethodTypeDesc type, int constants, Consumer<CodeBuilder> body) {}

    private final Instructions program;
    private final Subprograms subprograms;
    private final int budget;
    private final int classConstants;
    private final Long blindingKey;
    private final BytecodeSize size;
    private final HelperConstants helperConstants;
    private final ProgramMethods methods = new ProgramMethods();
    private final MethodEmitter emitter;
    private final SplitEmitter splitEmitter = new SplitEmitter(methods);

    ClassGenerator(Instructions program, HelperRegistry helpers, long backwardJumpLimit, long[] constants,
              Long blindingKey, AccessFacts facts, Subprograms subprograms, int budget, int classConstants) {
        this.program = program;
        this.subprograms = subprograms;
        this.budget = budget;
        this.classConstants = classConstants;
        this.blindingKey = blindingKey;
        boolean counts = backwardJumpLimit != Long.MAX_VALUE;
        this.size = new BytecodeSize(subprograms.count(), blindingKey != null, counts, facts);
        this.helperConstants = new HelperConstants(helpers);
        this.emitter = new MethodEmitter(program, subprograms, constants, helperConstants, counts, blindingKey,
                methods, facts);
    }

    GeneratedClasses generate() {
        List<Planned> planned = plan();
        List<List<Planned>> classes = new ArrayList<>();
        List<Planned> current = new ArrayList<>();
        int used = 0;
        for (Planned method : planned) {
            if (!current.isEmpty() && used + method.constants() > classConstants) {
                classes.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(method);
            used += method.constants();
        }
        classes.add(current);
        List<ClassDesc> descs = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            ClassDesc desc = ClassDesc.of(Jit.class.getPackageName() + ".CompiledProgram" + (i == 0 ? "" : "$" + i));
            descs.add(desc);
            classes.get(i).forEach(m -> methods.place(m.name(), desc));
        }
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            files.add(build(descs.get(i), classes.get(i), i == 0));
        }
        List<List<Planned>> placed = classes;
        List<List<String>> names = placed.stream().map(c -> c.stream().map(Planned::name).toList()).toList();
        List<List<MethodTypeDesc>> types = placed.stream().map(c -> c.stream().map(Planned::type).toList()).toList();
        return new GeneratedClasses(files, names, types, blindingKey, helperConstants.classData());
    }

    private List<Planned> plan() {
        List<Planned> planned = new ArrayList<>();
        for (int k = 0; k < subprograms.count(); k++) {
            int index = k;
            int start = subprograms.start(k);
            int end = subprograms.end(k);
            String name = MethodEmitter.methodName(start);
            if (estimate(start, end) <= budget) {
                planned.add(new Planned(name, MethodEmitter.SUBPROGRAM_TYPE, constantsOf(start, end),
                        code -> emitter.emitSubprogram(code, index)));
                continue;
            }
            SplitPlan split = SplitPlan.of(program, start, end, size, budget - BytecodeSize.CHUNK_OVERHEAD);
            int chunks = split.chunks().size();
            planned.add(new Planned(name, MethodEmitter.SUBPROGRAM_TYPE, 40,
                    code -> splitEmitter.emitEntry(code, emitter.owner(), start, split)));
            for (int level = SplitEmitter.rootLevel(chunks); level >= 1; level--) {
                int span = 1 << (SplitEmitter.FAN_OUT_BITS * level);
                for (int prefix = 0; prefix * span < chunks; prefix++) {
                    int l = level;
                    int p = prefix;
                    planned.add(new Planned(SplitEmitter.dispatcherName(start, level, prefix),
                            MethodEmitter.CHUNK_TYPE, 20 + 4 * SplitEmitter.children(chunks, level, prefix),
                            code -> splitEmitter.emitDispatcher(code, emitter.owner(), start, chunks, l, p)));
                }
            }
            for (int c = 0; c < chunks; c++) {
                int chunk = c;
                var range = split.chunks().get(c);
                planned.add(new Planned(MethodEmitter.chunkName(start, c), MethodEmitter.CHUNK_TYPE,
                        constantsOf(range.start(), range.end()), code -> emitter.emitChunk(code, split, chunk)));
            }
        }
        return planned;
    }

    private int estimate(int start, int end) {
        int total = 0;
        for (int slot = start; slot < end; slot += program.at(slot).slots()) {
            total += size.of(slot, program.at(slot));
        }
        return total;
    }

    /**
     * At most a long constant (2 entries) and a slot number (1 entry) per instruction, a call site (up to 6) per
     * call, and the method's own entries.
     */
    private int constantsOf(int start, int end) {
        int count = 20;
        for (int slot = start; slot < end; slot += program.at(slot).slots()) {
            var insn = program.at(slot);
            count += insn.opcode() == (org.ebpf4j.isa.Opcode.JMP | org.ebpf4j.isa.Opcode.CALL
                    | org.ebpf4j.isa.Opcode.X) ? 6 * subprograms.count() : insn.isLocalCall() ? 6 : 3;
        }
        return count;
    }

    private byte[] build(ClassDesc desc, List<Planned> planned, boolean first) {
        return ClassFile.of().build(desc, cls -> {
            cls.withFlags(AccessFlag.FINAL, AccessFlag.SYNTHETIC);
            if (first) {
                cls.withInterfaceSymbols(CD_ENTRY)
                        .withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC, code -> code
                                .aload(0).invokespecial(CD_Object, INIT_NAME, MTD_void).return_())
                        .withMethodBody("enter", MethodTypeDesc.of(CD_long, MethodEmitter.CD_RUN,
                                CD_long, CD_long, CD_long, CD_long, CD_long), ClassFile.ACC_PUBLIC,
                                code -> emitEnter(code, desc))
                        .withMethodBody("frame", MethodTypeDesc.of(CD_long, MethodEmitter.CD_RUN, CD_int, CD_long),
                                ClassFile.ACC_PUBLIC, code -> emitFrame(code, desc))
                        .withMethodBody("callback", MethodTypeDesc.of(CD_long, MethodEmitter.CD_RUN, CD_int, CD_int,
                                CD_long, CD_long, CD_long, CD_long, CD_long), ClassFile.ACC_PUBLIC,
                                code -> emitCallbackDispatch(code, desc));
            }
            if (blindingKey != null) {
                // Not final: C2 must not fold the key into the blinded constants.
                cls.withField(MethodEmitter.KEY_FIELD, CD_long, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC)
                        .withMethodBody(CLASS_INIT_NAME, MTD_void, ClassFile.ACC_STATIC, code -> code
                                .ldc(DynamicConstantDesc.ofNamed(BSM_CLASS_DATA_AT, DEFAULT_NAME, CD_Long,
                                        HelperConstants.KEY_INDEX))
                                .invokevirtual(CD_Long, "longValue", MethodTypeDesc.of(CD_long))
                                .putstatic(desc, MethodEmitter.KEY_FIELD, CD_long)
                                .return_());
            }
            emitter.emitInto(desc);
            for (Planned method : planned) {
                cls.withMethodBody(method.name(), method.type(), ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE,
                        method.body());
                if (cls.constantPool().size() >= MAX_CONSTANT_POOL) {
                    throw new ConstantPoolFull("class " + desc.displayName() + " needs more than "
                            + MAX_CONSTANT_POOL + " constants");
                }
            }
        });
    }

    /** {@code frame(run, depth, r1)}: the main subprogram at {@code depth}, r1 alone (a tail call's target). */
    private void emitFrame(CodeBuilder code, ClassDesc desc) {
        code.aload(1).iload(2).lconst_0().lload(3);
        for (int r = 2; r <= 9; r++) {
            code.lconst_0();
        }
        methods.invoke(code, desc, MethodEmitter.methodName(0), MethodEmitter.SUBPROGRAM_TYPE);
        code.lreturn();
    }

    /**
     * {@code callback(run, slot, depth, r1..r5)}: a switch over the subprogram entries, each called with r0 and
     * r6-r9 zero (a helper's callback); any other slot faults, JitRun having checked that it is an instruction.
     */
    private void emitCallbackDispatch(CodeBuilder code, ClassDesc desc) {
        Label other = code.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int k = 0; k < subprograms.count(); k++) {
            Label label = code.newLabel();
            labels.add(label);
            cases.add(SwitchCase.of(subprograms.start(k), label));
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
            methods.invoke(code, desc, MethodEmitter.methodName(subprograms.start(k)), MethodEmitter.SUBPROGRAM_TYPE);
            code.lreturn();
        }
        code.labelBinding(other).iload(2).iload(2)
                .invokestatic(ClassDesc.of(JitRuntime.class.getName()), "callxIntoSubprogram",
                        MethodTypeDesc.of(ClassDesc.of(org.ebpf4j.runtime.ProgramFault.class.getName()), CD_int,
                                CD_int))
                .athrow();
    }

    private void emitEnter(CodeBuilder code, ClassDesc desc) {
        code.aload(1).iconst_0().lconst_0();
        for (int r = 1; r <= 5; r++) {
            code.lload(2 * r);
        }
        for (int r = 6; r <= 9; r++) {
            code.lconst_0();
        }
        methods.invoke(code, desc, MethodEmitter.methodName(0), MethodEmitter.SUBPROGRAM_TYPE);
        code.lreturn();
    }
}
