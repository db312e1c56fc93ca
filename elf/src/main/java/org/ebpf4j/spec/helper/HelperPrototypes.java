package org.ebpf4j.spec.helper;

import static org.ebpf4j.spec.helper.ArgType.ANYTHING;
import static org.ebpf4j.spec.helper.ArgType.CONST_ALLOC_SIZE_OR_ZERO;
import static org.ebpf4j.spec.helper.ArgType.CONST_MAP_PTR;
import static org.ebpf4j.spec.helper.ArgType.CONST_SIZE;
import static org.ebpf4j.spec.helper.ArgType.CONST_SIZE_OR_ZERO;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_BTF_ID;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_BTF_ID_SOCK_COMMON;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_CONST_STR;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_CTX;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_FUNC;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_MAP_KEY;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_MAP_VALUE;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_MEM;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_PERCPU_BTF_ID;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_RINGBUF_MEM;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_SPIN_LOCK;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_STACK;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_TIMER;
import static org.ebpf4j.spec.helper.ArgType.KPTR_XCHG_DEST;
import static org.ebpf4j.spec.helper.ArgType.PTR_TO_DYNPTR;
import static org.ebpf4j.spec.helper.TypeFlag.MEM_ALIGNED;
import static org.ebpf4j.spec.helper.TypeFlag.MEM_RDONLY;
import static org.ebpf4j.spec.helper.TypeFlag.MEM_RINGBUF;
import static org.ebpf4j.spec.helper.TypeFlag.MEM_UNINIT;
import static org.ebpf4j.spec.helper.TypeFlag.MEM_WRITE;
import static org.ebpf4j.spec.helper.TypeFlag.OBJ_RELEASE;
import static org.ebpf4j.spec.helper.TypeFlag.PTR_MAYBE_NULL;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.spec.HelperFunction;

/**
 * The prototypes of the helpers ebpf4j models, as Linux 6.18 declares them ({@code bpf_func_proto}s in
 * kernel/bpf/helpers.c, kernel/bpf/ringbuf.c, kernel/bpf/stackmap.c, kernel/trace/bpf_trace.c and
 * net/core/filter.c). Shared by the verifier, which checks calls against them, and the runtime, which implements
 * the helpers. Where the kernel gives a helper different prototypes for different program types, this is the one
 * the program types in {@link ProgramHelpers} see; {@link ProgramHelpers#prototype} picks the variant.
 */
public final class HelperPrototypes {
    private HelperPrototypes() {}

    private static final ArgSpec ANY = ArgSpec.of(ANYTHING);
    private static final ArgSpec CTX = ArgSpec.of(PTR_TO_CTX);
    private static final ArgSpec MAP = ArgSpec.of(CONST_MAP_PTR);
    private static final ArgSpec KEY = ArgSpec.of(PTR_TO_MAP_KEY);
    private static final ArgSpec VALUE = ArgSpec.of(PTR_TO_MAP_VALUE);
    private static final ArgSpec SIZE = ArgSpec.of(CONST_SIZE);
    private static final ArgSpec SIZE_OR_ZERO = ArgSpec.of(CONST_SIZE_OR_ZERO);
    /** ARG_PTR_TO_MEM | MEM_RDONLY: memory the helper reads. */
    private static final ArgSpec READ_MEM = ArgSpec.of(PTR_TO_MEM, MEM_RDONLY);
    /** ARG_PTR_TO_UNINIT_MEM (ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE): memory the helper fills. */
    private static final ArgSpec UNINIT_MEM = ArgSpec.of(PTR_TO_MEM, MEM_UNINIT, MEM_WRITE);
    private static final ArgSpec CALLBACK = ArgSpec.of(PTR_TO_FUNC);
    private static final ArgSpec CALLBACK_CTX = ArgSpec.of(PTR_TO_STACK, PTR_MAYBE_NULL);

    private static final ReturnSpec INTEGER = ReturnSpec.of(ReturnType.INTEGER);
    private static final ReturnSpec VOID = ReturnSpec.of(ReturnType.VOID);

    private static final Map<HelperFunction, HelperPrototype> TABLE = new EnumMap<>(HelperFunction.class);

    /** bpf_get_cgroup_classid as tc programs see it: the classid of the packet's socket (bpf_get_cgroup_classid_proto). */
    public static final HelperPrototype GET_CGROUP_CLASSID_SKB =
            new HelperPrototype(HelperFunction.GET_CGROUP_CLASSID, false, false, false, INTEGER, List.of(CTX));

    static {
        // Maps (kernel/bpf/helpers.c).
        add(HelperFunction.MAP_LOOKUP_ELEM, false, true,
                ReturnSpec.of(ReturnType.PTR_TO_MAP_VALUE, PTR_MAYBE_NULL), MAP, KEY);
        add(HelperFunction.MAP_UPDATE_ELEM, false, true, INTEGER, MAP, KEY, VALUE, ANY);
        add(HelperFunction.MAP_DELETE_ELEM, false, true, INTEGER, MAP, KEY);
        add(HelperFunction.MAP_PUSH_ELEM, false, true, INTEGER, MAP, VALUE, ANY);
        add(HelperFunction.MAP_POP_ELEM, false, false, INTEGER, MAP,
                ArgSpec.of(PTR_TO_MAP_VALUE, MEM_UNINIT, MEM_WRITE));
        add(HelperFunction.MAP_PEEK_ELEM, false, false, INTEGER, MAP,
                ArgSpec.of(PTR_TO_MAP_VALUE, MEM_UNINIT, MEM_WRITE));
        add(HelperFunction.MAP_LOOKUP_PERCPU_ELEM, false, true,
                ReturnSpec.of(ReturnType.PTR_TO_MAP_VALUE, PTR_MAYBE_NULL), MAP, KEY, ANY);
        add(HelperFunction.FOR_EACH_MAP_ELEM, false, false, INTEGER, MAP, CALLBACK, CALLBACK_CTX, ANY);
        add(HelperFunction.LOOP, false, false, INTEGER, ANY, CALLBACK, CALLBACK_CTX, ANY);
        add(HelperFunction.TAIL_CALL, false, false, VOID, CTX, MAP, ANY);

        // Numbers without arguments.
        for (HelperFunction h : List.of(HelperFunction.KTIME_GET_NS, HelperFunction.KTIME_GET_BOOT_NS,
                HelperFunction.KTIME_GET_COARSE_NS, HelperFunction.KTIME_GET_TAI_NS, HelperFunction.JIFFIES64,
                HelperFunction.GET_PRANDOM_U32, HelperFunction.GET_SMP_PROCESSOR_ID, HelperFunction.GET_NUMA_NODE_ID,
                HelperFunction.GET_CURRENT_PID_TGID, HelperFunction.GET_CURRENT_UID_GID,
                HelperFunction.GET_CURRENT_CGROUP_ID)) {
            add(h, false, false, INTEGER);
        }
        add(HelperFunction.GET_CURRENT_TASK, true, false, INTEGER);
        add(HelperFunction.GET_CURRENT_ANCESTOR_CGROUP_ID, false, false, INTEGER, ANY);
        // The base variant (bpf_get_cgroup_classid_curr_proto): the current task's classid.
        add(HelperFunction.GET_CGROUP_CLASSID, false, false, INTEGER);
        add(HelperFunction.GET_CURRENT_COMM, false, false, INTEGER, UNINIT_MEM, SIZE);

        // Strings and output.
        add(HelperFunction.TRACE_PRINTK, true, false, INTEGER, READ_MEM, SIZE);
        add(HelperFunction.SNPRINTF, true, false, INTEGER, ArgSpec.of(PTR_TO_MEM, PTR_MAYBE_NULL), SIZE_OR_ZERO,
                ArgSpec.of(PTR_TO_CONST_STR), ArgSpec.of(PTR_TO_MEM, PTR_MAYBE_NULL, MEM_RDONLY), SIZE_OR_ZERO);
        add(HelperFunction.STRNCMP, false, false, INTEGER, READ_MEM, SIZE, ArgSpec.of(PTR_TO_CONST_STR));
        ArgSpec result = ArgSpec.fixedSizeMemory(Long.BYTES, MEM_UNINIT, MEM_WRITE, MEM_ALIGNED);
        add(HelperFunction.STRTOL, false, false, INTEGER, READ_MEM, SIZE, ANY, result);
        add(HelperFunction.STRTOUL, false, false, INTEGER, READ_MEM, SIZE, ANY, result);

        // Reading kernel and user memory (kernel/trace/bpf_trace.c); probe_read and probe_read_str are the
        // compat variants.
        for (HelperFunction h : List.of(HelperFunction.PROBE_READ, HelperFunction.PROBE_READ_STR,
                HelperFunction.PROBE_READ_USER, HelperFunction.PROBE_READ_USER_STR, HelperFunction.PROBE_READ_KERNEL,
                HelperFunction.PROBE_READ_KERNEL_STR)) {
            add(h, true, false, INTEGER, UNINIT_MEM, SIZE_OR_ZERO, ANY);
        }
        add(HelperFunction.PROBE_WRITE_USER, true, false, INTEGER, ANY, READ_MEM, SIZE);
        put(new HelperPrototype(HelperFunction.COPY_FROM_USER, false, false, true, INTEGER,
                List.of(UNINIT_MEM, SIZE_OR_ZERO, ANY)));

        // Ring buffers (kernel/bpf/ringbuf.c).
        add(HelperFunction.RINGBUF_OUTPUT, false, false, INTEGER, MAP, READ_MEM, SIZE_OR_ZERO, ANY);
        add(HelperFunction.RINGBUF_RESERVE, false, false,
                ReturnSpec.of(ReturnType.PTR_TO_MEM, MEM_RINGBUF, PTR_MAYBE_NULL), MAP,
                ArgSpec.of(CONST_ALLOC_SIZE_OR_ZERO), ANY);
        add(HelperFunction.RINGBUF_SUBMIT, false, false, VOID, ArgSpec.of(PTR_TO_RINGBUF_MEM, OBJ_RELEASE), ANY);
        add(HelperFunction.RINGBUF_DISCARD, false, false, VOID, ArgSpec.of(PTR_TO_RINGBUF_MEM, OBJ_RELEASE), ANY);
        add(HelperFunction.RINGBUF_QUERY, false, false, INTEGER, MAP, ANY);

        // Perf events and stacks (bpf_trace.c, stackmap.c; every program type's variant has these arguments).
        add(HelperFunction.PERF_EVENT_OUTPUT, true, false, INTEGER, CTX, MAP, ANY, READ_MEM, SIZE_OR_ZERO);
        add(HelperFunction.GET_STACKID, true, false, INTEGER, CTX, MAP, ANY);
        add(HelperFunction.GET_STACK, true, false, INTEGER, CTX, UNINIT_MEM, SIZE_OR_ZERO, ANY);
        add(HelperFunction.GET_FUNC_IP, true, false, INTEGER, CTX);
        add(HelperFunction.GET_ATTACH_COOKIE, false, false, INTEGER, CTX);

        // Locks, timers, kptrs, per-CPU variables, dynptrs: arguments the verifier needs BTF for.
        add(HelperFunction.SPIN_LOCK, false, false, VOID, ArgSpec.of(PTR_TO_SPIN_LOCK));
        add(HelperFunction.SPIN_UNLOCK, false, false, VOID, ArgSpec.of(PTR_TO_SPIN_LOCK));
        add(HelperFunction.TIMER_INIT, true, false, INTEGER, ArgSpec.of(PTR_TO_TIMER), MAP, ANY);
        add(HelperFunction.KPTR_XCHG, false, false,
                ReturnSpec.of(ReturnType.PTR_TO_BTF_ID, PTR_MAYBE_NULL, TypeFlag.MEM_ALLOC),
                ArgSpec.of(KPTR_XCHG_DEST), ArgSpec.of(PTR_TO_BTF_ID, PTR_MAYBE_NULL, OBJ_RELEASE));
        add(HelperFunction.THIS_CPU_PTR, false, false,
                ReturnSpec.of(ReturnType.PTR_TO_MEM_OR_BTF_ID, MEM_RDONLY), ArgSpec.of(PTR_TO_PERCPU_BTF_ID));
        add(HelperFunction.DYNPTR_DATA, false, false, ReturnSpec.of(ReturnType.PTR_TO_MEM, PTR_MAYBE_NULL),
                ArgSpec.of(PTR_TO_DYNPTR, MEM_RDONLY), ANY, ArgSpec.of(CONST_ALLOC_SIZE_OR_ZERO));

        // Packets (net/core/filter.c).
        add(HelperFunction.CSUM_DIFF, false, true, INTEGER, ArgSpec.of(PTR_TO_MEM, PTR_MAYBE_NULL, MEM_RDONLY),
                SIZE_OR_ZERO, ArgSpec.of(PTR_TO_MEM, PTR_MAYBE_NULL, MEM_RDONLY), SIZE_OR_ZERO, ANY);
        add(HelperFunction.CSUM_UPDATE, false, false, INTEGER, CTX, ANY);
        add(HelperFunction.XDP_ADJUST_HEAD, false, false, INTEGER, CTX, ANY);
        add(HelperFunction.XDP_ADJUST_TAIL, false, false, INTEGER, CTX, ANY);
        add(HelperFunction.XDP_ADJUST_META, false, false, INTEGER, CTX, ANY);
        add(HelperFunction.REDIRECT, false, false, INTEGER, ANY, ANY);
        add(HelperFunction.REDIRECT_MAP, false, false, INTEGER, MAP, ANY, ANY);
        add(HelperFunction.SKB_LOAD_BYTES, false, false, INTEGER, CTX, ANY, UNINIT_MEM, SIZE);
        add(HelperFunction.SKB_STORE_BYTES, false, false, INTEGER, CTX, ANY, READ_MEM, SIZE, ANY);
        add(HelperFunction.L3_CSUM_REPLACE, false, false, INTEGER, CTX, ANY, ANY, ANY, ANY);
        add(HelperFunction.L4_CSUM_REPLACE, false, false, INTEGER, CTX, ANY, ANY, ANY, ANY);
        add(HelperFunction.SKB_VLAN_PUSH, false, false, INTEGER, CTX, ANY, ANY);
        add(HelperFunction.SKB_VLAN_POP, false, false, INTEGER, CTX);
        add(HelperFunction.GET_HASH_RECALC, false, false, INTEGER, CTX);
        add(HelperFunction.GET_SOCKET_COOKIE, false, false, INTEGER, CTX);
        add(HelperFunction.GET_SOCKET_UID, false, false, INTEGER, CTX);
        // ARG_PTR_TO_CTX_OR_NULL in every program type that has it (NULL: the init namespace's cookie).
        add(HelperFunction.GET_NETNS_COOKIE, false, false, INTEGER, ArgSpec.of(PTR_TO_CTX, PTR_MAYBE_NULL));
        add(HelperFunction.SK_RELEASE, false, false, INTEGER, ArgSpec.of(PTR_TO_BTF_ID_SOCK_COMMON, OBJ_RELEASE));
        ReturnSpec socketOrNull = ReturnSpec.of(ReturnType.PTR_TO_SOCKET, PTR_MAYBE_NULL);
        // The tuple may lie in the packet (pkt_access), as the kernel tells by checking R1 before refusing R1=pkt.
        add(HelperFunction.SK_LOOKUP_TCP, false, true, socketOrNull, CTX, READ_MEM, SIZE, ANY, ANY);
        add(HelperFunction.SK_LOOKUP_UDP, false, true, socketOrNull, CTX, READ_MEM, SIZE, ANY, ANY);
        add(HelperFunction.SK_FULLSOCK, false, false, socketOrNull, ArgSpec.of(ArgType.PTR_TO_SOCK_COMMON));
        // The route lookup and the MTU check write their results into the memory they are given.
        add(HelperFunction.FIB_LOOKUP, true, false, INTEGER, CTX, ArgSpec.of(PTR_TO_MEM, MEM_WRITE), SIZE, ANY);
        add(HelperFunction.CHECK_MTU, true, false, INTEGER, CTX, ANY,
                ArgSpec.fixedSizeMemory(Integer.BYTES, MEM_WRITE, MEM_ALIGNED), ANY, ANY);

        // Tasks (kernel/bpf/stackmap.c, kernel/trace/bpf_trace.c).
        add(HelperFunction.GET_TASK_STACK, false, false, INTEGER, ArgSpec.of(PTR_TO_BTF_ID), UNINIT_MEM, SIZE_OR_ZERO,
                ANY);
        add(HelperFunction.GET_CURRENT_TASK_BTF, true, false,
                ReturnSpec.of(ReturnType.PTR_TO_BTF_ID, TypeFlag.PTR_TRUSTED));
    }

    private static void add(HelperFunction helper, boolean gplOnly, boolean packetAccess, ReturnSpec returns,
                            ArgSpec... args) {
        put(new HelperPrototype(helper, gplOnly, packetAccess, false, returns, List.of(args)));
    }

    private static void put(HelperPrototype prototype) {
        HelperPrototype previous = TABLE.put(prototype.kernelHelper().orElseThrow(), prototype);
        if (previous != null) {
            throw new IllegalStateException("two prototypes for " + prototype.name());
        }
    }

    /** The helper's prototype, or empty when ebpf4j does not describe it yet. */
    public static Optional<HelperPrototype> of(HelperFunction helper) {
        return Optional.ofNullable(TABLE.get(helper));
    }

    /** Every prototype described. */
    public static Collection<HelperPrototype> all() {
        return List.copyOf(TABLE.values());
    }
}
