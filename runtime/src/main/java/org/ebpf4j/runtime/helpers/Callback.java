package org.ebpf4j.runtime.helpers;

/**
 * A BPF subprogram that a helper calls back ({@code bpf_loop}, {@code bpf_for_each_map_elem}): r1-r5 in, r0 out.
 * The engine that runs the calling program supplies it: the callback runs in a new frame below the caller's.
 */
@FunctionalInterface
public interface Callback {
    long call(long r1, long r2, long r3, long r4, long r5);
}
