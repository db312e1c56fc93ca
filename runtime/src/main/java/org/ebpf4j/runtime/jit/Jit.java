package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessFlag;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.interpreter.Interpreter;

/**
 * Compiles eBPF to JVM bytecode in hidden classes loaded with the program's helpers as class data. A subprogram
 * that fits HotSpot's 8000-byte limit for compiled methods is one static method; a larger one is cut into chunk
 * methods ({@link SplitPlan}); a program whose constants overflow one class's constant pool is spread over several
 * classes ({@link JitLinkage}). What the JIT cannot compile (jumps across subprograms, one instruction too large for
 * a method) runs on the interpreter instead, and the reason is logged.
 */
public final class Jit {
    /** HotSpot never compiles a method whose bytecode is larger (DontCompileHugeMethods). */
    static final int HUGE_METHOD_LIMIT = 8000;
    /** The estimated bytecode a method is planned for: below the limit, since estimates are not exact. */
    private static final int METHOD_BUDGET = 7000;
    private static final int SMALLEST_BUDGET = 500;
    /** Estimated constant-pool entries a class is planned for; the JVM allows 65535. */
    private static final int CLASS_CONSTANTS = 50_000;
    private static final System.Logger LOG = System.getLogger(Jit.class.getName());
    private static final ClassDesc CD_ENTRY = ClassDesc.of(JitEntry.class.getName());
    private static final SecureRandom KEYS = new SecureRandom();

    private Jit() {}

    /** As {@link #load(Instructions, HelperRegistry, long, MapResolver, boolean)} without constant blinding. */
    public static Executable load(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                  MapResolver maps) {
        return load(program, helpers, backwardJumpLimit, maps, false);
    }

    /**
     * Prepares a program: loads it on the interpreter first (the same structural checks, errors and map
     * resolution), then compiles it; the interpreter is the fallback.
     *
     * @param blindConstants whether every immediate is XORed with a random key, as the kernel's JIT hardening does
     */
    public static Executable load(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                  MapResolver maps, boolean blindConstants) {
        Map<Integer, Long> resolved = new HashMap<>();
        MapResolver recording = maps == null ? null : (slot, pseudo, imm) -> {
            long value = maps.resolve(slot, pseudo, imm);
            resolved.put(slot, value);
            return value;
        };
        Interpreter interpreter = Interpreter.load(program, helpers, backwardJumpLimit, recording);
        try {
            Long key = blindConstants ? KEYS.nextLong() : null;
            Generated generated = generate(program, helpers, backwardJumpLimit, constants(program, resolved), key);
            return new JitProgram(generated.define(), program, helpers, backwardJumpLimit);
        } catch (Subprograms.Unsupported | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.INFO, "JIT: running the program on the interpreter: {0}", e.getMessage());
            return interpreter;
        }
    }

    private static long[] constants(Instructions program, Map<Integer, Long> resolved) {
        long[] constants = new long[program.slotCount()];
        for (int i = 0; i < program.size(); i++) {
            var insn = program.get(i);
            if (insn.isLddw()) {
                int slot = program.slotOf(i);
                constants[slot] = resolved.getOrDefault(slot, insn.imm());
            }
        }
        return constants;
    }

    /**
     * The class files of a program, planned for smaller methods and classes until every method is under the
     * limit and every constant pool fits.
     */
    static Generated generate(Instructions program, HelperRegistry helpers, long backwardJumpLimit, long[] constants,
                              Long blindingKey) {
        return generate(program, helpers, backwardJumpLimit, constants, blindingKey, METHOD_BUDGET);
    }

    /** As above, starting from a given method budget: tests split small programs into many tiny chunks. */
    static Generated generate(Instructions program, HelperRegistry helpers, long backwardJumpLimit, long[] constants,
                              Long blindingKey, int methodBudget) {
        Subprograms subprograms = Subprograms.of(program);
        int budget = methodBudget;
        int classConstants = CLASS_CONSTANTS;
        while (true) {
            Generated generated;
            try {
                generated = new Generator(program, helpers, backwardJumpLimit, constants, blindingKey, subprograms,
                        budget, classConstants).generate();
            } catch (ConstantPoolFull e) {
                if (classConstants < 1000) {
                    throw new Subprograms.Unsupported(e.getMessage());
                }
                classConstants /= 2;
                continue;
            }
            String oversized = generated.oversizedMethod();
            if (oversized == null) {
                return generated;
            }
            if (budget / 2 < SMALLEST_BUDGET) {
                throw new Subprograms.Unsupported(oversized);
            }
            budget /= 2;
        }
    }

    /** The JVM's limit on the entries of one constant pool. */
    private static final int MAX_CONSTANT_POOL = 65_535;

    /** A class whose constants outgrew its pool: the program is planned again with smaller classes. */
    private static final class ConstantPoolFull extends RuntimeException {
        ConstantPoolFull(String message) {
            super(message);
        }
    }

    /** One generated method: where it goes, and how to emit its body. */
    private record Planned(String name, MethodTypeDesc type, int constants, Consumer<CodeBuilder> body) {}

    /** Plans a program's methods, places them in classes and emits those. */
    private static final class Generator {
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

        Generator(Instructions program, HelperRegistry helpers, long backwardJumpLimit, long[] constants,
                  Long blindingKey, Subprograms subprograms, int budget, int classConstants) {
            this.program = program;
            this.subprograms = subprograms;
            this.budget = budget;
            this.classConstants = classConstants;
            this.blindingKey = blindingKey;
            boolean counts = backwardJumpLimit != Long.MAX_VALUE;
            this.size = new BytecodeSize(subprograms.count(), blindingKey != null, counts);
            this.helperConstants = new HelperConstants(helpers);
            this.emitter = new MethodEmitter(program, subprograms, constants, helperConstants, counts, blindingKey,
                    methods);
        }

        Generated generate() {
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
            return new Generated(files, names, types, blindingKey, helperConstants.classData());
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
                total += size.of(program.at(slot));
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
                                    code -> emitEnter(code, desc));
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

    /** The class files of one program, ready to define. */
    record Generated(List<byte[]> classFiles, List<List<String>> methodNames, List<List<MethodTypeDesc>> methodTypes,
                     Long blindingKey, List<Object> helpers) {

        /** A description of the first method over the limit, or null when there is none. */
        String oversizedMethod() {
            for (byte[] bytes : classFiles) {
                ClassModel model = ClassFile.of().parse(bytes);
                for (var method : model.methods()) {
                    var code = method.findAttribute(java.lang.classfile.Attributes.code());
                    if (code.isPresent() && ((CodeAttribute) code.get()).codeLength() > HUGE_METHOD_LIMIT) {
                        return "method " + method.methodName().stringValue() + " has "
                                + ((CodeAttribute) code.get()).codeLength() + " bytes of bytecode, over HotSpot's"
                                + " limit of " + HUGE_METHOD_LIMIT + " for compiled methods, and no smaller split"
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
}
