package org.ebpf4j.verifier;

import java.util.Set;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramLoadFlags;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.ProgramContexts;
import org.ebpf4j.verifier.cfg.ControlFlowCheck;
import org.ebpf4j.verifier.cfg.FunctionInfoCheck;
import org.ebpf4j.verifier.cfg.InstructionSanityCheck;
import org.ebpf4j.verifier.cfg.Slot;
import org.ebpf4j.verifier.cfg.SubprogramCheck;
import org.ebpf4j.verifier.cfg.Subprograms;
import org.ebpf4j.verifier.walk.ContextRules;
import org.ebpf4j.verifier.walk.Walk;

/**
 * The verifier: the Linux verifier's passes in its order. Structure first (subprogram boundaries and jumps,
 * instruction sanity, the control-flow graph), then the abstract interpretation of every path.
 *
 * <p>Unprivileged loads (no CAP_BPF, no CAP_PERFMON) follow the same passes with the kernel's extra rules
 * ({@link UnprivilegedLoad} before the passes, the walk's pointer-leak, comparison and sanitation rules after).
 *
 * <p>What is not modelled yet is rejected with a message naming it, never accepted unchecked: program types whose
 * context is not described (ProgramContexts), bpf-to-bpf calls and callbacks, kfuncs, helpers whose prototype or arguments are not modelled.
 *
 * <p>Maps and the license come with the {@link VerifierOptions}: an lddw of a map names it by its index in
 * {@link VerifierOptions#maps()}.
 */
public final class Verifier {
    private Verifier() {}

    /**
     * Program types whose context (and return range, where the kernel restricts it) the walk checks from
     * {@link org.ebpf4j.spec.context.ProgramContexts}.
     */
    private static final Set<Integer> DESCRIBED_TYPES = Set.of(
            ProgramType.SOCKET_FILTER.value(), ProgramType.KPROBE.value(), ProgramType.SCHED_CLS.value(),
            ProgramType.SCHED_ACT.value(), ProgramType.TRACEPOINT.value(), ProgramType.XDP.value(),
            ProgramType.PERF_EVENT.value(), ProgramType.CGROUP_SKB.value(), ProgramType.RAW_TRACEPOINT.value(),
            ProgramType.SYSCALL.value(), ProgramType.CGROUP_SOCK_ADDR.value(), ProgramType.SK_LOOKUP.value(),
            ProgramType.SK_SKB.value(), ProgramType.CGROUP_SOCK.value(), ProgramType.LWT_IN.value(),
            ProgramType.LWT_OUT.value(), ProgramType.LWT_XMIT.value(), ProgramType.FLOW_DISSECTOR.value(),
            ProgramType.CGROUP_DEVICE.value(), ProgramType.CGROUP_SYSCTL.value(), ProgramType.CGROUP_SOCKOPT.value(),
            ProgramType.NETFILTER.value(), ProgramType.SOCK_OPS.value(), ProgramType.SK_MSG.value());

    /**
     * Described types whose context the attach type decides ({@link ProgramContexts#of(ProgramType, int)}), or
     * whose rules do not depend on it.
     */
    private static final Set<Integer> ANY_ATTACH_TYPES = Set.of(ProgramType.CGROUP_SOCK_ADDR.value(),
            ProgramType.SK_LOOKUP.value(), ProgramType.SK_SKB.value(), ProgramType.CGROUP_SOCK.value(),
            ProgramType.LWT_IN.value(), ProgramType.LWT_OUT.value(), ProgramType.LWT_XMIT.value(),
            ProgramType.FLOW_DISSECTOR.value(), ProgramType.SOCKET_FILTER.value(), ProgramType.CGROUP_DEVICE.value(),
            ProgramType.CGROUP_SYSCTL.value(), ProgramType.CGROUP_SOCKOPT.value(), ProgramType.NETFILTER.value(),
            ProgramType.SOCK_OPS.value(), ProgramType.SK_MSG.value());

    /** Described types that may be sleepable (can_be_sleepable: kprobes only for uprobes, checked at attach). */
    private static final Set<Integer> SLEEPABLE_TYPES = Set.of(ProgramType.KPROBE.value(),
            ProgramType.SYSCALL.value());

    /** Map types a sleepable program may use (check_map_prog_compatibility). */
    private static final Set<Integer> SLEEPABLE_MAPS = Set.of(MapType.HASH.value(), MapType.LRU_HASH.value(),
            MapType.ARRAY.value(), MapType.PERCPU_HASH.value(), MapType.PERCPU_ARRAY.value(),
            MapType.LRU_PERCPU_HASH.value(), MapType.ARRAY_OF_MAPS.value(), MapType.HASH_OF_MAPS.value(),
            MapType.RINGBUF.value(), MapType.USER_RINGBUF.value(), MapType.INODE_STORAGE.value(),
            MapType.SK_STORAGE.value(), MapType.TASK_STORAGE.value(), MapType.CGRP_STORAGE.value(),
            MapType.QUEUE.value(), MapType.STACK.value(), MapType.ARENA.value());

    /**
     * prog_flags that change nothing the verifier decides here: alignment is strict on the stack either way, and
     * the test flags change code generation and pruning frequency. BPF_F_TEST_REG_INVARIANTS (set by every kernel
     * selftest) makes the kernel fail where its bounds sanity check would otherwise recover on an infeasible
     * branch; ebpf4j recovers (a known difference, reached by no corpus case).
     */
    private static final int NEUTRAL_FLAGS = ProgramLoadFlags.BPF_F_STRICT_ALIGNMENT
            | ProgramLoadFlags.BPF_F_ANY_ALIGNMENT | ProgramLoadFlags.BPF_F_TEST_RND_HI32
            | ProgramLoadFlags.BPF_F_TEST_STATE_FREQ | ProgramLoadFlags.BPF_F_TEST_REG_INVARIANTS
            | ProgramLoadFlags.BPF_F_SLEEPABLE;

    /**
     * Verifies raw little-endian instructions as {@code BPF_PROG_LOAD} receives them, with a log at level 1 (the
     * path that failed, or the statistics).
     */
    public static Verdict verify(byte[] code, VerifierOptions options) {
        return verify(code, options, LogOptions.level(1));
    }

    /** Verifies raw instructions, writing the log {@code log} asks for ({@link Verdict#log()}). */
    public static Verdict verify(byte[] code, VerifierOptions options, LogOptions log) {
        int limit = options.privileged() ? Limits.COMPLEXITY_LIMIT_INSNS : Limits.MAX_INSNS_UNPRIVILEGED;
        int slots = code.length / Instruction.SIZE;
        if (code.length == 0 || code.length % Instruction.SIZE != 0 || slots > limit) {
            // bpf_prog_load refuses these with E2BIG before the verifier runs, so there is no log.
            return new Verdict.Rejected(String.format("program of %d bytes is not 1 to %d instructions (E2BIG)",
                    code.length, limit), -1, Verdict.Cause.RULE, "", 0);
        }
        try {
            if (!options.privileged()) {
                UnprivilegedLoad.check(code, options);
            }
            Slot[] raw = Slot.decode(code);
            if (!options.privileged()) {
                UnprivilegedLoad.checkNoCalls(raw);
            }
            Subprograms subprograms = SubprogramCheck.check(raw);
            FunctionInfoCheck.check(subprograms, options.functions());
            InstructionSanityCheck.check(raw, options.maps());
            ControlFlowCheck.check(raw, options.privileged());
            checkSupported(raw, options);
            return Walk.run(Instructions.decode(code), subprograms, ContextRules.of(options), options, log);
        } catch (VerificationFailure f) {
            return rejected(f.getMessage(), f.insn(), f.kind(), log);
        }
    }

    /** Verifies an instruction sequence, with a log at level 1. */
    public static Verdict verify(Instructions program, VerifierOptions options) {
        return verify(program.encode(), options);
    }

    /** Verifies an instruction sequence, writing the log {@code log} asks for. */
    public static Verdict verify(Instructions program, VerifierOptions options, LogOptions log) {
        return verify(program.encode(), options, log);
    }

    private static void checkSupported(Slot[] raw, VerifierOptions options) {
        checkSleepable(options);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isKfuncCall()) {
                throw VerificationFailure.unsupported(i, "kfunc calls");
            }
        }
        if ((options.programFlags() & ~NEUTRAL_FLAGS) != 0) {
            throw VerificationFailure.unsupported(-1, String.format("prog_flags 0x%x", options.programFlags()));
        }
        int type = options.programType();
        int attach = options.expectedAttachType();
        boolean plainXdp = type == ProgramType.XDP.value() && (attach == 0 || attach == AttachType.XDP.value());
        boolean cgroupSkb = type == ProgramType.CGROUP_SKB.value() && (attach == AttachType.CGROUP_INET_INGRESS.value()
                || attach == AttachType.CGROUP_INET_EGRESS.value());
        boolean plain = attach == 0 || plainXdp || cgroupSkb || ANY_ATTACH_TYPES.contains(type);
        boolean described = DESCRIBED_TYPES.contains(type)
                && ProgramType.of(type).flatMap(t -> ProgramContexts.of(t, attach)).isPresent();
        if (!described || !plain) {
            throw VerificationFailure.unsupported(-1, "program type " + typeName(type)
                    + " with expected attach type " + attach);
        }
    }

    /**
     * check_attach_btf_id's rules on BPF_F_SLEEPABLE (after the control-flow check, before the walk), for the
     * described types; sleepable programs' maps are limited as check_map_prog_compatibility does.
     */
    private static void checkSleepable(VerifierOptions options) {
        int type = options.programType();
        boolean sleepable = (options.programFlags() & ProgramLoadFlags.BPF_F_SLEEPABLE) != 0;
        if (!DESCRIBED_TYPES.contains(type)) {
            if (sleepable) {
                throw VerificationFailure.unsupported(-1, "sleepable programs of type " + typeName(type));
            }
            return;
        }
        if (sleepable && !SLEEPABLE_TYPES.contains(type)) {
            throw VerificationFailure.rule(-1, "Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops"
                    + " programs can be sleepable");
        }
        if (type == ProgramType.SYSCALL.value() && !sleepable) {
            throw VerificationFailure.rule(-1, "Syscall programs can only be sleepable");
        }
        if (sleepable) {
            for (MapSpec map : options.maps()) {
                if (!SLEEPABLE_MAPS.contains(map.type().value())) {
                    // The kernel refuses these only where an lddw names them; which ones do is not known here.
                    throw VerificationFailure.unsupported(-1, "map type " + map.type() + " in sleepable programs");
                }
            }
        }
    }

    private static String typeName(int type) {
        return ProgramType.of(type).map(ProgramType::kernelName).orElse(Integer.toString(type));
    }

    /** A rejection before the walk: the message and the statistics of a walk that did not start. */
    private static Verdict rejected(String message, int insn, Verdict.Cause cause, LogOptions log) {
        return new Verdict.Rejected(message, insn, cause, Walk.logBeforeWalk(message, log), 0, false);
    }
}
