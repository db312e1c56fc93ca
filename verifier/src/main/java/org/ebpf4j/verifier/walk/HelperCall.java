package org.ebpf4j.verifier.walk;

import java.util.Optional;
import org.ebpf4j.isa.Register;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramLoadFlags;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.helper.HelperPrototype;
import org.ebpf4j.spec.helper.PacketDataHelpers;
import org.ebpf4j.spec.helper.ProgramHelpers;
import org.ebpf4j.spec.helper.ReturnSpec;
import org.ebpf4j.spec.helper.TypeFlag;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.VerifierOptions;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Helper calls (the kernel's check_helper_call), in its order: the helper must exist and the program type must be
 * allowed to call it ({@link ProgramHelpers}), GPL-only helpers need a GPL-compatible license, every argument must
 * match the helper's prototype ({@link HelperArguments}), then memory that the helper fills becomes unknown, r1-r5
 * become unreadable, r0 takes the return type and the map and helper must suit each other. Helpers whose
 * prototype or arguments ebpf4j does not model are rejected as unsupported, naming them.
 */
final class HelperCall {
    private HelperCall() {}

    /** __BPF_FUNC_MAX_ID: ids beyond the last helper are not helpers at all. */
    private static final int MAX_ID = HelperFunction.maxId();

    /** Caller-saved registers: r1-r5 carry arguments and do not survive the call. */
    private static final int FIRST_ARGUMENT = Register.R1.number();
    private static final int LAST_ARGUMENT = Register.R5.number();

    /** MAX_ERRNO: the most negative error a helper returns. */
    private static final long MAX_ERRNO = 4095;

    /** Checks and applies the call; returns the state entering a callback the helper calls, or null. */
    static VerifierState apply(int id, int idx, VerifierState state, VerifierOptions options, ContextRules context,
                               IdGenerator ids) {
        if (id == HelperFunction.UNSPEC.value()) {
            // In range, but no program type has a prototype for it.
            throw VerificationFailure.rule(idx, "program of this type cannot use helper %s#%d",
                    HelperFunction.UNSPEC.kernelName(), id);
        }
        HelperPrototype javaHelper = options.javaHelpers().get(id);
        if (javaHelper != null) {
            applyJavaHelper(javaHelper, idx, state, context, options.privileged());
            return null;
        }
        Optional<HelperFunction> known = id > 0 && id < MAX_ID ? HelperFunction.of(id) : Optional.empty();
        if (known.isEmpty()) {
            throw VerificationFailure.rule(idx, "invalid func unknown#%d", id);
        }
        HelperFunction helper = known.get();
        HelperPrototype proto = prototype(helper, options, idx);
        if (proto.gplOnly() && !options.gplCompatible()) {
            throw VerificationFailure.rule(idx, "cannot call GPL-restricted function from non-GPL compatible program");
        }
        if (proto.mightSleep()) {
            if ((options.programFlags() & ProgramLoadFlags.BPF_F_SLEEPABLE) != 0) {
                throw VerificationFailure.unsupported(idx, "helpers that might sleep, in sleepable programs");
            }
            throw VerificationFailure.rule(idx, "helper call might sleep in a non-sleepable prog");
        }
        HelperArguments args = HelperArguments.check(proto, idx, state, context, options.privileged());
        if (helper == HelperFunction.SNPRINTF) {
            // check_bpf_snprintf_call parses the format at load time (bpf_bprintf_prepare).
            throw VerificationFailure.unsupported(idx, "format checks of bpf_snprintf");
        }
        MapHelperRules.checkWritable(helper, args.map(), idx);
        if (helper == HelperFunction.TAIL_CALL && args.map().type() != MapType.PROG_ARRAY) {
            // record_func_key (the kernel prints it without a newline, so the statistics follow on its line).
            throw VerificationFailure.rule(idx, "expected prog array map for tail call");
        }
        if (args.rawWrite() != null) {
            HelperMemory.fill(state, args.rawWrite());
        }
        if (args.releasedReference() != 0) {
            release(state, args.releasedReference(), helper, idx);
        }
        if (helper == HelperFunction.TAIL_CALL) {
            References.checkNoLeak(state, "tail_call", idx);
        }
        if (helper == HelperFunction.GET_FUNC_IP && options.programType() != ProgramType.KPROBE.value()) {
            // check_get_func_ip: tracepoints and perf events get a prototype, then this refusal (ENOTSUPP).
            throw VerificationFailure.rule(idx, "func %s#%d not supported for program type %d", helper.kernelName(),
                    helper.value(), options.programType());
        }
        // A tail call counts too: a failed one returns to a program whose packet another program may have changed.
        // Erring this way costs false rejects at worst, never a false accept.
        if (PacketDataHelpers.changesPacketData(helper) || helper == HelperFunction.TAIL_CALL) {
            // clear_all_pkt_pointers: the packet may have moved; old pointers are only numbers now (privileged).
            NullCheck.forEachRegister(state, reg -> reg instanceof RegisterType.PacketPointer
                    || reg instanceof RegisterType.PtrToPacketEnd ? RegisterType.ScalarValue.unknown() : reg);
        }
        VerifierState callback = args.callback() >= 0 ? Callbacks.enter(helper, args, idx, state) : null;
        FrameState frame = state.current();
        for (int r = FIRST_ARGUMENT; r <= LAST_ARGUMENT; r++) {
            frame.setReg(r, RegisterType.NotInit.INSTANCE);
        }
        frame.setReg(Register.R0.number(), returned(helper, proto.returns(), args, idx, ids, state));
        MapHelperRules.checkCompatible(helper, args.map(), idx);
        return callback;
    }

    /**
     * A helper the application provides: its arguments are checked like a kernel helper's, then r1-r5 are
     * clobbered and r0 is an unknown number (a Java helper's prototype returns an integer or nothing).
     */
    private static void applyJavaHelper(HelperPrototype proto, int idx, VerifierState state, ContextRules context,
                                        boolean privileged) {
        // The application's own helpers: its loads choose them, but pointers still may not leak through them.
        HelperArguments args = HelperArguments.check(proto, idx, state, context, privileged);
        if (args.rawWrite() != null) {
            HelperMemory.fill(state, args.rawWrite());
        }
        FrameState frame = state.current();
        for (int r = FIRST_ARGUMENT; r <= LAST_ARGUMENT; r++) {
            frame.setReg(r, RegisterType.NotInit.INSTANCE);
        }
        frame.setReg(Register.R0.number(), switch (proto.returns().type()) {
            case VOID -> RegisterType.NotInit.INSTANCE;
            default -> RegisterType.ScalarValue.unknown();
        });
    }

    /**
     * How many argument registers a call of helper {@code id} may read (those before its prototype's first
     * DONTCARE), all five where the program type has no prototype for it (the walk then refuses the call).
     */
    static int argumentsRead(int id, VerifierOptions options) {
        HelperPrototype javaHelper = options.javaHelpers().get(id);
        if (javaHelper != null) {
            return javaHelper.argCount();
        }
        Optional<HelperFunction> known = id > 0 && id < MAX_ID ? HelperFunction.of(id) : Optional.empty();
        Optional<ProgramType> type = ProgramType.of(options.programType());
        if (known.isEmpty() || type.isEmpty()) {
            return HelperPrototype.MAX_ARGS;
        }
        return ProgramHelpers.prototype(type.get(), options.expectedAttachType(), known.get())
                .map(HelperPrototype::argCount).orElse(HelperPrototype.MAX_ARGS);
    }

    /** get_helper_proto: the program type's prototype for the helper, or the kernel's refusal. */
    private static HelperPrototype prototype(HelperFunction helper, VerifierOptions options, int idx) {
        String name = helper.kernelName() + "#" + helper.value();
        ProgramType type = ProgramType.require(options.programType());
        if (!options.privileged()) {
            UnprivilegedHelpers.check(type, helper, idx);
        }
        return switch (ProgramHelpers.availability(type, options.expectedAttachType(), helper)) {
            case REFUSED -> throw VerificationFailure.rule(idx, "program of this type cannot use helper %s", name);
            case UNKNOWN -> throw VerificationFailure.unsupported(idx, "helper calls from " + type.kernelName(),
                    name);
            case ALLOWED -> ProgramHelpers.prototype(type, options.expectedAttachType(), helper)
                    .orElseThrow(() -> VerificationFailure.unsupported(idx, "helper call", name));
        };
    }

    /** What r0 holds after the call (the return type, then do_refine_retval_range). */
    private static RegisterType returned(HelperFunction helper, ReturnSpec ret, HelperArguments args, int idx,
                                         IdGenerator ids, VerifierState state) {
        return switch (ret.type()) {
            case INTEGER -> new RegisterType.ScalarValue(refinedInteger(helper, args));
            case VOID -> RegisterType.NotInit.INSTANCE;
            case PTR_TO_MAP_VALUE -> mapValue(helper, ret, args, idx, ids);
            case PTR_TO_MEM -> ringBufferRecord(helper, ret, args, idx, ids, state);
            default -> throw VerificationFailure.unsupported(idx, "helpers returning " + ret,
                    helper.kernelName() + "#" + helper.value());
        };
    }

    /**
     * bpf_ringbuf_reserve: a record of the asked size, NULL when the ring is full, and a reference the program
     * must give back with bpf_ringbuf_submit or bpf_ringbuf_discard before it exits.
     */
    private static RegisterType ringBufferRecord(HelperFunction helper, ReturnSpec ret, HelperArguments args,
                                                 int idx, IdGenerator ids, VerifierState state) {
        if (helper != HelperFunction.RINGBUF_RESERVE || !ret.has(TypeFlag.MEM_RINGBUF)) {
            throw VerificationFailure.unsupported(idx, "helpers returning " + ret,
                    helper.kernelName() + "#" + helper.value());
        }
        // The kernel numbers the maybe-NULL pointer first, then the reference, which replaces that id.
        ids.next();
        int id = ids.next();
        state.acquire(new VerifierState.Reference(id, idx));
        return new RegisterType.PtrToMem((int) args.allocSize(), 0, Scalar.constant(0), true, id, true, id);
    }

    /** release_reference: the reference is gone, and so is every pointer that carried it. */
    private static void release(VerifierState state, int ref, HelperFunction helper, int idx) {
        if (!state.release(ref)) {
            throw VerificationFailure.rule(idx, "func %s#%d reference has not been acquired before",
                    helper.kernelName(), helper.value());
        }
        NullCheck.forEachRegister(state, reg -> reg instanceof RegisterType.PtrToMem m && m.refObjId() == ref
                ? RegisterType.ScalarValue.unknown() : reg);
    }

    /** Helpers that return at most the size they were given, or a negative error. */
    private static Scalar refinedInteger(HelperFunction helper, HelperArguments args) {
        return switch (helper) {
            case GET_STACK, GET_TASK_STACK, PROBE_READ_STR, PROBE_READ_KERNEL_STR, PROBE_READ_USER_STR -> {
                long max = args.sizeUmax();
                // The kernel stores the u64 bound into the signed maxima as is (truncated for 32 bits).
                yield new Scalar(Scalar.unknown().bits(), -MAX_ERRNO, max, 0, -1, (int) -MAX_ERRNO, (int) max, 0,
                        0xffff_ffffL).synced();
            }
            default -> Scalar.unknown();
        };
    }

    /** RET_PTR_TO_MAP_VALUE: a value of the map argument, NULL unless an array's constant key is in range. */
    private static RegisterType mapValue(HelperFunction helper, ReturnSpec ret, HelperArguments args, int idx,
                                         IdGenerator ids) {
        MapType type = args.map().type();
        if (type == MapType.XSKMAP || type == MapType.SOCKMAP || type == MapType.SOCKHASH) {
            throw VerificationFailure.unsupported(idx, "socket pointers from lookups in " + type.kernelName());
        }
        boolean mapInMap = type == MapType.ARRAY_OF_MAPS || type == MapType.HASH_OF_MAPS;
        if (mapInMap && args.map().innerMap().isEmpty()) {
            throw VerificationFailure.unsupported(idx, "map-in-map lookups without the inner map's description");
        }
        boolean orNull = ret.has(TypeFlag.PTR_MAYBE_NULL);
        boolean constantIndex = helper == HelperFunction.MAP_LOOKUP_ELEM
                && (type == MapType.ARRAY || type == MapType.PERCPU_ARRAY)
                && args.constantKey() >= 0 && args.constantKey() < Integer.toUnsignedLong(args.map().maxEntries());
        if (constantIndex) {
            orNull = false;
        }
        return PtrToMapValue.start(args.map(), orNull, orNull ? ids.next() : 0);
    }
}
