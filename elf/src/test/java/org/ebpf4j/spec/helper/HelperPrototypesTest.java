package org.ebpf4j.spec.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.helper.ProgramHelpers.Availability;
import org.junit.jupiter.api.Test;

class HelperPrototypesTest {

    /** The helpers every consumer of the table needs (the verifier and the runtime). */
    private static final List<HelperFunction> REQUIRED = List.of(HelperFunction.MAP_LOOKUP_ELEM,
            HelperFunction.MAP_UPDATE_ELEM, HelperFunction.MAP_DELETE_ELEM, HelperFunction.MAP_PUSH_ELEM,
            HelperFunction.MAP_POP_ELEM, HelperFunction.MAP_PEEK_ELEM, HelperFunction.FOR_EACH_MAP_ELEM,
            HelperFunction.LOOP, HelperFunction.TAIL_CALL, HelperFunction.KTIME_GET_NS,
            HelperFunction.KTIME_GET_BOOT_NS, HelperFunction.KTIME_GET_COARSE_NS, HelperFunction.JIFFIES64,
            HelperFunction.GET_PRANDOM_U32, HelperFunction.GET_SMP_PROCESSOR_ID, HelperFunction.GET_NUMA_NODE_ID,
            HelperFunction.GET_CURRENT_PID_TGID, HelperFunction.GET_CURRENT_UID_GID, HelperFunction.GET_CURRENT_COMM,
            HelperFunction.GET_CURRENT_CGROUP_ID, HelperFunction.TRACE_PRINTK, HelperFunction.SNPRINTF,
            HelperFunction.STRNCMP, HelperFunction.STRTOL, HelperFunction.STRTOUL, HelperFunction.PROBE_READ,
            HelperFunction.PROBE_READ_STR, HelperFunction.PROBE_READ_USER, HelperFunction.PROBE_READ_USER_STR,
            HelperFunction.PROBE_READ_KERNEL, HelperFunction.PROBE_READ_KERNEL_STR, HelperFunction.RINGBUF_OUTPUT,
            HelperFunction.RINGBUF_RESERVE, HelperFunction.RINGBUF_SUBMIT, HelperFunction.RINGBUF_DISCARD,
            HelperFunction.RINGBUF_QUERY, HelperFunction.PERF_EVENT_OUTPUT, HelperFunction.GET_STACKID,
            HelperFunction.GET_STACK, HelperFunction.SPIN_LOCK, HelperFunction.SPIN_UNLOCK, HelperFunction.CSUM_DIFF,
            HelperFunction.XDP_ADJUST_HEAD, HelperFunction.XDP_ADJUST_TAIL, HelperFunction.XDP_ADJUST_META,
            HelperFunction.REDIRECT, HelperFunction.REDIRECT_MAP, HelperFunction.SKB_LOAD_BYTES,
            HelperFunction.SKB_STORE_BYTES, HelperFunction.L3_CSUM_REPLACE, HelperFunction.L4_CSUM_REPLACE,
            HelperFunction.GET_FUNC_IP, HelperFunction.GET_ATTACH_COOKIE);

    @Test
    void describesEveryRequiredHelper() {
        for (HelperFunction h : REQUIRED) {
            assertTrue(HelperPrototypes.of(h).isPresent(), h.kernelName());
        }
    }

    /** check_func_proto's rules: sizes follow memory, arguments are contiguous, one map per call. */
    @Test
    void everyPrototypeIsConsistent() {
        for (HelperPrototype p : HelperPrototypes.all()) {
            assertEquals(Optional.empty(), p.inconsistency(), p.name());
        }
    }

    @Test
    void javaHelpersTakeIdsAboveTheKernelsAndConsistentPrototypes() {
        ReturnSpec integer = ReturnSpec.of(ReturnType.INTEGER);
        HelperPrototype sum = HelperPrototype.custom(1000, "sum_bytes", integer,
                ArgSpec.of(ArgType.PTR_TO_MEM, TypeFlag.MEM_RDONLY), ArgSpec.of(ArgType.CONST_SIZE));
        assertEquals("sum_bytes#1000", sum.displayName());
        assertEquals(Optional.empty(), sum.kernelHelper());
        assertEquals(2, sum.argCount());
        var kernelId = assertThrows(IllegalArgumentException.class,
                () -> HelperPrototype.custom(1, "mine", integer));
        assertTrue(kernelId.getMessage().contains("the ones below are the kernel's"), kernelId.getMessage());
        var noSize = assertThrows(IllegalArgumentException.class, () -> HelperPrototype.custom(1000, "mine", integer,
                ArgSpec.of(ArgType.PTR_TO_MEM)));
        assertEquals("mine: argument 1 is memory without a size after it", noSize.getMessage());
        assertEquals(HelperFunction.MAP_LOOKUP_ELEM,
                HelperPrototypes.of(HelperFunction.MAP_LOOKUP_ELEM).orElseThrow().kernelHelper().orElseThrow());
    }

    @Test
    void prototypesMatchTheKernel() {
        HelperPrototype lookup = HelperPrototypes.of(HelperFunction.MAP_LOOKUP_ELEM).orElseThrow();
        assertEquals("RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL", lookup.returns().toString());
        assertEquals("ARG_CONST_MAP_PTR", lookup.arg(1).toString());
        assertEquals("ARG_PTR_TO_MAP_KEY", lookup.arg(2).toString());
        assertEquals(2, lookup.argCount());
        assertTrue(lookup.packetAccess());
        assertFalse(lookup.gplOnly());

        HelperPrototype printk = HelperPrototypes.of(HelperFunction.TRACE_PRINTK).orElseThrow();
        assertTrue(printk.gplOnly());
        assertEquals(2, printk.argCount(), "r3-r5 are not checked: the format decides how many are read");
        assertEquals("ARG_PTR_TO_MEM | MEM_RDONLY", printk.arg(1).toString());

        HelperPrototype pop = HelperPrototypes.of(HelperFunction.MAP_POP_ELEM).orElseThrow();
        assertEquals("ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE", pop.arg(2).toString());

        HelperPrototype strtol = HelperPrototypes.of(HelperFunction.STRTOL).orElseThrow();
        assertEquals(8, strtol.arg(4).fixedSize());
        assertTrue(strtol.arg(4).has(TypeFlag.MEM_ALIGNED));

        HelperPrototype reserve = HelperPrototypes.of(HelperFunction.RINGBUF_RESERVE).orElseThrow();
        assertEquals("RET_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RINGBUF", reserve.returns().toString());
        assertTrue(HelperPrototypes.of(HelperFunction.RINGBUF_SUBMIT).orElseThrow().arg(1).has(TypeFlag.OBJ_RELEASE));
        assertEquals(ReturnType.VOID, HelperPrototypes.of(HelperFunction.TAIL_CALL).orElseThrow().returns().type());
        assertTrue(HelperPrototypes.of(HelperFunction.PERF_EVENT_OUTPUT).orElseThrow().gplOnly());
        assertTrue(HelperPrototypes.of(HelperFunction.COPY_FROM_USER).orElseThrow().mightSleep());
        // Checked against Linux 6.18: a non-GPL program may not call these; a read-only map may not receive
        // their results; the MTU must be aligned ("misaligned stack access off 0+-6+0 size 4").
        assertTrue(HelperPrototypes.of(HelperFunction.FIB_LOOKUP).orElseThrow().gplOnly());
        assertTrue(HelperPrototypes.of(HelperFunction.FIB_LOOKUP).orElseThrow().arg(2).has(TypeFlag.MEM_WRITE));
        HelperPrototype mtu = HelperPrototypes.of(HelperFunction.CHECK_MTU).orElseThrow();
        assertTrue(mtu.gplOnly() && mtu.arg(3).has(TypeFlag.MEM_ALIGNED) && mtu.arg(3).fixedSize() == 4);
        assertFalse(HelperPrototypes.of(HelperFunction.SK_LOOKUP_TCP).orElseThrow().gplOnly());
        assertFalse(HelperPrototypes.of(HelperFunction.GET_ATTACH_COOKIE).orElseThrow().gplOnly());
        assertTrue(HelperPrototypes.of(HelperFunction.GET_FUNC_IP).orElseThrow().gplOnly());
    }

    /** Facts the kernel's own selftests assert (verifier_helper_restricted.c, test_verifier's helper tables). */
    @Test
    void programTypesSeeTheKernelsHelpers() {
        for (ProgramType tracing : List.of(ProgramType.KPROBE, ProgramType.TRACEPOINT, ProgramType.PERF_EVENT,
                ProgramType.RAW_TRACEPOINT)) {
            assertEquals(Availability.REFUSED,
                    ProgramHelpers.availability(tracing, 0, HelperFunction.KTIME_GET_COARSE_NS));
        }
        assertEquals(Availability.ALLOWED,
                ProgramHelpers.availability(ProgramType.SOCKET_FILTER, 0, HelperFunction.KTIME_GET_COARSE_NS));
        assertEquals(Availability.ALLOWED,
                ProgramHelpers.availability(ProgramType.XDP, 0, HelperFunction.XDP_ADJUST_HEAD));
        assertEquals(Availability.REFUSED,
                ProgramHelpers.availability(ProgramType.SCHED_CLS, 0, HelperFunction.XDP_ADJUST_HEAD));
        assertEquals(Availability.REFUSED,
                ProgramHelpers.availability(ProgramType.SOCKET_FILTER, 0, HelperFunction.SKB_STORE_BYTES));
        assertEquals(Availability.ALLOWED,
                ProgramHelpers.availability(ProgramType.SCHED_CLS, 0, HelperFunction.SKB_STORE_BYTES));
        assertEquals(Availability.ALLOWED,
                ProgramHelpers.availability(ProgramType.KPROBE, 0, HelperFunction.GET_FUNC_IP));
        assertEquals(Availability.UNKNOWN,
                ProgramHelpers.availability(ProgramType.LSM, 0, HelperFunction.MAP_LOOKUP_ELEM));
        assertEquals(HelperPrototypes.GET_CGROUP_CLASSID_SKB,
                ProgramHelpers.prototype(ProgramType.SCHED_CLS, 0, HelperFunction.GET_CGROUP_CLASSID).orElseThrow());
        assertEquals(0, ProgramHelpers.prototype(ProgramType.SOCKET_FILTER, 0, HelperFunction.GET_CGROUP_CLASSID)
                .orElseThrow().argCount());
    }

    /** sock_addr_func_proto gives bpf_bind to connect hooks only, bpf_set_retval to bind, connect and sendmsg. */
    @Test
    void someHelpersDependOnTheAttachType() {
        ProgramType sockAddr = ProgramType.CGROUP_SOCK_ADDR;
        int connect4 = org.ebpf4j.spec.AttachType.CGROUP_INET4_CONNECT.value();
        int bind4 = org.ebpf4j.spec.AttachType.CGROUP_INET4_BIND.value();
        int recvmsg4 = org.ebpf4j.spec.AttachType.CGROUP_UDP4_RECVMSG.value();
        assertEquals(Availability.ALLOWED, ProgramHelpers.availability(sockAddr, connect4, HelperFunction.BIND));
        assertEquals(Availability.REFUSED, ProgramHelpers.availability(sockAddr, bind4, HelperFunction.BIND));
        assertEquals(Availability.ALLOWED, ProgramHelpers.availability(sockAddr, bind4, HelperFunction.SET_RETVAL));
        assertEquals(Availability.REFUSED, ProgramHelpers.availability(sockAddr, recvmsg4, HelperFunction.SET_RETVAL));
    }

    /** Every described program type may use the base helpers: the lists were recorded, not mistyped. */
    @Test
    void everyDescribedTypeHasTheBaseHelpers() {
        for (ProgramType type : ProgramType.values()) {
            if (ProgramHelpers.describes(type)) {
                for (HelperFunction base : List.of(HelperFunction.MAP_LOOKUP_ELEM, HelperFunction.MAP_UPDATE_ELEM,
                        HelperFunction.TAIL_CALL, HelperFunction.KTIME_GET_NS, HelperFunction.RINGBUF_RESERVE,
                        HelperFunction.LOOP, HelperFunction.TRACE_PRINTK)) {
                    assertEquals(Availability.ALLOWED, ProgramHelpers.availability(type, 0, base), type + " " + base);
                }
            }
        }
    }
}
