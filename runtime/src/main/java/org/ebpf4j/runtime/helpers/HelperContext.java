package org.ebpf4j.runtime.helpers;

import org.ebpf4j.runtime.memory.AddressSpace;

/** What a helper may see of the invocation that calls it. */
public interface HelperContext {
    /** The memory of the calling invocation: helpers read and write BPF pointers through it. */
    AddressSpace memory();

    /**
     * A byte buffer of at least {@code size} bytes that a helper may use until it returns (its contents are not
     * kept and may be anything): the invocation lends one it keeps, so that helpers need not allocate.
     */
    default byte[] scratch(int size) {
        return new byte[size];
    }

    /** The "CPU" the program runs on: its slot in per-CPU maps ({@code bpf_get_smp_processor_id}). */
    int cpu();

    /**
     * The packet of a packet program's run (where its data starts), 0 for others: what helpers that read the
     * packet through the context ({@code bpf_perf_event_output}'s {@code BPF_F_CTXLEN_MASK}) read.
     */
    default long packet() {
        return 0;
    }

    /** The stacks {@code bpf_get_stackid} and {@code bpf_get_stack} see. */
    default CallStacks callStacks() {
        return CallStacks.javaCaller();
    }

    /** The cookie of the attachment that runs the program ({@code bpf_get_attach_cookie}); 0 when none was given. */
    default long attachCookie() {
        return 0;
    }

    /** The address of the function the program is attached to ({@code bpf_get_func_ip}); 0 when there is none. */
    default long functionAddress() {
        return 0;
    }
}
