package org.ebpf4j.verifier.walk;

import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.helper.ArgSpec;
import org.ebpf4j.spec.helper.ArgType;
import org.ebpf4j.spec.helper.HelperPrototype;
import org.ebpf4j.spec.helper.TypeFlag;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.ConstPtrToMap;
import org.ebpf4j.verifier.state.RegisterType.PacketPointer;
import org.ebpf4j.verifier.state.RegisterType.PtrToCtx;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * The arguments of one helper call checked against its prototype (the kernel's check_func_arg for r1-r5 in order):
 * readable, of a type the argument accepts (check_reg_type, with its "R%d type=%s expected=%s"), at an offset the
 * type allows, then what the argument type requires: the map's key or value size of memory, memory of the size
 * the next argument gives, a known size, an unmoved context. What it learns (the map, the memory a helper fills,
 * a constant array index, the size bound) is kept for the call's result.
 */
final class HelperArguments {
    /** Types accepted as memory, map keys and map values (mem_types, map_key_value_types). */
    private static final String MEMORY_TYPES = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, "
            + "trusted_ptr_";
    /** BPF_MAX_VAR_SIZ: sizes must stay below 2^29. */
    private static final long MAX_VAR_SIZE = 1L << 29;

    private final HelperPrototype proto;
    private final int idx;
    private final VerifierState state;
    private final ContextRules context;
    private final boolean privileged;
    private MapSpec map;
    private HelperMemory.RawWrite rawWrite;
    private long constantKey = -1;
    private long sizeUmax;
    private long allocSize;
    private int releasedReference;
    private int callback = -1;

    private HelperArguments(HelperPrototype proto, int idx, VerifierState state, ContextRules context,
                            boolean privileged) {
        this.proto = proto;
        this.privileged = privileged;
        this.idx = idx;
        this.state = state;
        this.context = context;
    }

    static HelperArguments check(HelperPrototype proto, int idx, VerifierState state, ContextRules context,
                                 boolean privileged) {
        HelperArguments args = new HelperArguments(proto, idx, state, context, privileged);
        for (int n = 1; n <= HelperPrototype.MAX_ARGS; n++) {
            args.checkArg(n);
        }
        return args;
    }

    /** The subprogram a PTR_TO_FUNC argument names (meta->subprogno), or -1. */
    int callback() {
        return callback;
    }

    /** The map the call names (CONST_MAP_PTR), or null. */
    MapSpec map() {
        return map;
    }

    /** The stack bytes a MEM_UNINIT argument of known size will fill, or null. */
    HelperMemory.RawWrite rawWrite() {
        return rawWrite;
    }

    /** The array index the key holds where it is a known constant on the stack, else -1. */
    long constantKey() {
        return constantKey;
    }

    /** The size CONST_ALLOC_SIZE_OR_ZERO asked for (meta->mem_size). */
    long allocSize() {
        return allocSize;
    }

    /** The reference an OBJ_RELEASE argument releases, or 0. */
    int releasedReference() {
        return releasedReference;
    }

    /** The largest value of the last size argument (meta->msize_max_value). */
    long sizeUmax() {
        return sizeUmax;
    }

    private void checkArg(int n) {
        ArgSpec spec = proto.arg(n);
        if (spec.type() == ArgType.DONTCARE) {
            return;
        }
        int regno = n;
        FrameState frame = state.current();
        RegisterType reg = RegisterAccess.read(frame, regno, idx);
        if (spec.type() == ArgType.ANYTHING) {
            PointerLeaks.checkHelperArgument(privileged, reg, regno, idx);
            return;
        }
        if (reg instanceof PacketPointer && !proto.packetAccess()) {
            throw VerificationFailure.rule(idx, "helper access to the packet is not allowed");
        }
        ArgType type = spec.type();
        boolean rawMode = spec.has(TypeFlag.MEM_UNINIT);
        if (type == ArgType.PTR_TO_MAP_VALUE && map.type() == MapType.BLOOM_FILTER
                && proto.id() == HelperFunction.MAP_PEEK_ELEM.value()) {
            // resolve_map_arg_type: a bloom filter's peek reads the value it looks for.
            rawMode = false;
            spec = ArgSpec.of(ArgType.PTR_TO_MAP_VALUE);
        }
        boolean nullAllowed = spec.has(TypeFlag.PTR_MAYBE_NULL) && isNull(reg);
        if (!nullAllowed) {
            checkType(regno, reg, spec);
            checkOffset(regno, reg, spec);
        }
        boolean write = spec.has(TypeFlag.MEM_WRITE);
        switch (type) {
            case CONST_MAP_PTR -> map = ((ConstPtrToMap) reg).map();
            case PTR_TO_MAP_KEY -> {
                memory(regno, reg, map.keySize(), false, false, false, idx);
                if (map.type() == MapType.ARRAY || map.type() == MapType.PERCPU_ARRAY) {
                    constantKey = MapArguments.constantKey(state, reg, map.keySize());
                }
            }
            case PTR_TO_MAP_VALUE -> {
                if (!nullAllowed) {
                    raw(memory(regno, reg, map.valueSize(), write, false, rawMode, idx));
                }
            }
            case PTR_TO_MEM -> {
                if (spec.has(TypeFlag.MEM_FIXED_SIZE)) {
                    raw(memory(regno, reg, spec.fixedSize(), write, false, rawMode,
                            idx));
                    if (spec.has(TypeFlag.MEM_ALIGNED)) {
                        checkAligned(regno, reg, spec.fixedSize());
                    }
                }
            }
            case CONST_SIZE, CONST_SIZE_OR_ZERO -> checkSize(n, regno, (ScalarValue) reg,
                    type == ArgType.CONST_SIZE_OR_ZERO);
            case PTR_TO_CTX -> { }
            case PTR_TO_FUNC -> callback = ((RegisterType.PtrToFunc) reg).subprog();
            // A callback's context: the stack, or NULL (not read here; the callback reads it).
            case PTR_TO_STACK -> { }
            case CONST_ALLOC_SIZE_OR_ZERO -> {
                if (!((ScalarValue) reg).value().isConst()) {
                    throw VerificationFailure.rule(idx, "R%d is not a known constant'", regno);
                }
                allocSize = ((ScalarValue) reg).value().bits().value();
            }
            case PTR_TO_RINGBUF_MEM -> releasedReference = ((RegisterType.PtrToMem) reg).refObjId();
            case PTR_TO_CONST_STR -> MapArguments.constantString(regno, (PtrToMapValue) reg, idx);
            case PTR_TO_SPIN_LOCK -> MapArguments.fieldNeedsBtf(regno, (PtrToMapValue) reg, "bpf_spin_lock", true, idx);
            case PTR_TO_TIMER -> MapArguments.fieldNeedsBtf(regno, (PtrToMapValue) reg, "bpf_timer", true, idx);
            case KPTR_XCHG_DEST -> MapArguments.fieldNeedsBtf(regno, (PtrToMapValue) reg, "bpf_kptr_xchg", false, idx);
            default -> throw VerificationFailure.unsupported(idx, "helper arguments of type " + spec,
                    proto.displayName());
        }
    }

    /** check_helper_mem_access, and without CAP_PERFMON first the stack bytes the helper would read. */
    private HelperMemory.RawWrite memory(int regno, RegisterType reg, int size, boolean write, boolean zeroSizeAllowed,
                                         boolean rawMode, int at) {
        if (!privileged && !rawMode) {
            UnprivilegedStack.checkHelperAccess(state, regno, reg, size, at);
        }
        return HelperMemory.check(state, context, regno, reg, size, write, zeroSizeAllowed, rawMode, at);
    }

    private void raw(HelperMemory.RawWrite write) {
        if (write != null) {
            rawWrite = write;
        }
    }

    private static boolean isNull(RegisterType reg) {
        return reg instanceof ScalarValue s && s.value().isConst() && s.value().bits().value() == 0;
    }

    /** check_reg_type: the register's type must be one the argument accepts. */
    private void checkType(int regno, RegisterType reg, ArgSpec spec) {
        boolean ok;
        String expected;
        boolean stripNull = spec.has(TypeFlag.PTR_MAYBE_NULL);
        switch (spec.type()) {
            case CONST_MAP_PTR -> {
                ok = reg instanceof ConstPtrToMap;
                expected = "map_ptr";
            }
            case PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM -> {
                ok = isMemory(reg, stripNull);
                expected = MEMORY_TYPES;
            }
            case CONST_SIZE, CONST_SIZE_OR_ZERO, CONST_ALLOC_SIZE_OR_ZERO -> {
                ok = reg instanceof ScalarValue;
                expected = "scalar";
            }
            case PTR_TO_CTX -> {
                ok = reg instanceof PtrToCtx;
                expected = "ctx";
            }
            case PTR_TO_FUNC -> {
                ok = reg instanceof RegisterType.PtrToFunc;
                expected = "func";
            }
            case PTR_TO_STACK -> {
                ok = reg instanceof PtrToStack;
                expected = "fp";
            }
            case PTR_TO_RINGBUF_MEM -> {
                ok = reg instanceof RegisterType.PtrToMem m && m.ringbuf() && !m.orNull();
                expected = "ringbuf_mem";
            }
            case PTR_TO_CONST_STR, PTR_TO_TIMER -> {
                ok = reg instanceof PtrToMapValue v && !v.orNull();
                expected = "map_value";
            }
            case PTR_TO_SPIN_LOCK, KPTR_XCHG_DEST -> {
                if (!(reg instanceof PtrToMapValue v && !v.orNull())) {
                    throw VerificationFailure.unsupported(idx, "helper arguments of type " + spec + " other than "
                            + "map values", proto.displayName());
                }
                ok = true;
                expected = "";
            }
            default -> throw VerificationFailure.unsupported(idx, "helper arguments of type " + spec,
                    proto.displayName());
        }
        if (!ok) {
            if ((reg instanceof RegisterType.PtrToMem m && !m.ringbuf()) || reg instanceof RegisterType.PtrToMapKey) {
                throw VerificationFailure.unsupported(idx, "helper arguments of type " + reg.kernelName());
            }
            throw VerificationFailure.rule(idx, "R%d type=%s expected=%s", regno, reg.kernelName(), expected);
        }
    }

    /** Register types in mem_types, MAYBE_NULL ignored where the argument may be NULL. */
    private static boolean isMemory(RegisterType reg, boolean stripNull) {
        return switch (reg) {
            case PtrToStack s -> true;
            case PacketPointer p -> true;
            case RegisterType.PtrToMapKey k -> true;
            case PtrToMapValue v -> !v.orNull() || stripNull;
            case RegisterType.PtrToMem m -> !m.orNull() || stripNull;
            default -> false;
        };
    }

    /** check_func_arg_reg_off: memory may be moved; the context and map handles may not. */
    private void checkOffset(int regno, RegisterType reg, ArgSpec spec) {
        if (spec.has(TypeFlag.OBJ_RELEASE)) {
            if (!(reg instanceof RegisterType.PtrToMem mem)) {
                throw VerificationFailure.unsupported(idx, "releasing references of " + reg.kernelName());
            }
            if (mem.off() != 0) {
                throw VerificationFailure.rule(idx, "R%d must have zero offset when passed to release func or "
                        + "trusted arg to kfunc", regno);
            }
            if (!mem.varOff().isConst() || mem.varOff().bits().value() != 0) {
                throw VerificationFailure.rule(idx, "variable %s access var_off=%s disallowed", mem.kernelName(),
                        ObjectAccess.tnumText(mem.varOff()));
            }
            if (mem.refObjId() == 0) {
                throw VerificationFailure.rule(idx, "R%d must be referenced when passed to release function",
                        regno);
            }
            return;
        }
        if (reg instanceof PtrToCtx ctx && ctx.off() < 0) {
            throw VerificationFailure.rule(idx, "negative offset ctx ptr R%d off=%d disallowed", regno, ctx.off());
        }
        if (reg instanceof PtrToCtx ctx && ctx.off() != 0) {
            throw VerificationFailure.rule(idx, "dereference of modified ctx ptr R%d off=%d disallowed", regno,
                    ctx.off());
        }
    }

    /** check_mem_size_reg: a bounded, non-negative size for the memory argument before it. */
    private void checkSize(int n, int regno, ScalarValue reg, boolean zeroAllowed) {
        Scalar size = reg.value();
        sizeUmax = size.umax();
        ArgSpec memorySpec = proto.arg(n - 1);
        boolean known = size.isConst();
        if (size.smin() < 0) {
            throw VerificationFailure.rule(idx, "R%d min value is negative, either use unsigned or 'var &= const'",
                    regno);
        }
        if (size.umin() == 0 && !zeroAllowed) {
            throw VerificationFailure.rule(idx, "R%d invalid zero-sized read: u64=[%d,%s]", regno, size.umin(),
                    Long.toUnsignedString(size.umax()));
        }
        if (Long.compareUnsigned(size.umax(), MAX_VAR_SIZE) >= 0) {
            throw VerificationFailure.rule(idx, "R%d unbounded memory access, use 'var &= const' or 'if (var < "
                    + "const)'", regno);
        }
        int memoryReg = regno - 1;
        RegisterType memory = state.current().reg(memoryReg);
        if (memorySpec.has(TypeFlag.PTR_MAYBE_NULL) && isNull(memory) && zeroAllowed && size.umax() == 0) {
            return;
        }
        boolean rawMode = known && memorySpec.has(TypeFlag.MEM_UNINIT);
        raw(memory(memoryReg, memory, (int) size.umax(),
                memorySpec.has(TypeFlag.MEM_WRITE), zeroAllowed, rawMode, idx));
    }

    /** check_ptr_alignment, strict: MEM_ALIGNED memory must be aligned to its size. */
    private void checkAligned(int regno, RegisterType reg, int size) {
        if (reg instanceof PtrToStack s) {
            long off = s.varOff().bits().value() + s.off();
            if (Math.floorMod(off, size) != 0) {
                throw VerificationFailure.rule(idx, "misaligned stack access off %s+%d+%d size %d",
                        ObjectAccess.tnumText(s.varOff()), s.off(), 0, size);
            }
        } else if (reg instanceof PtrToMapValue v) {
            ObjectAccess.check(regno, v, 0, size, ObjectAccess.Kind.WRITE, true, idx);
        } else {
            throw VerificationFailure.unsupported(idx, "aligned helper memory in " + reg.kernelName());
        }
    }
}
