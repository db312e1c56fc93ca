package org.ebpf4j.runtime.helpers;

import org.ebpf4j.runtime.memory.AddressSpace;

/** What a helper may see of the invocation that calls it. */
public interface HelperContext {
    /** The memory of the calling invocation: helpers read and write BPF pointers through it. */
    AddressSpace memory();

    /** The "CPU" the program runs on: its slot in per-CPU maps ({@code bpf_get_smp_processor_id}). */
    int cpu();

    /** The stacks {@code bpf_get_stackid} and {@code bpf_get_stack} see. */
    default CallStacks callStacks() {
        return CallStacks.javaCaller();
    }
}
