package org.ebpf4j.spec;

import java.util.Optional;

/**
 * Map types ({@code enum bpf_map_type}).
 *
 * <p>Numbers and names are those of the running Linux 6.18 kernel's {@code enum bpf_map_type}, read from its BTF
 * ({@code /sys/kernel/btf/vmlinux}) and checked against {@code include/uapi/linux/bpf.h}; see
 * {@code docs/linux-numbers.md}.
 *
 * <p>The uapi also spells 19 and 21 as {@code BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED} and
 * {@code BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED}; those are aliases of the same numbers, so each number has
 * one constant here, named without the suffix.
 */
public enum MapType implements KernelEnum {
    UNSPEC(0),
    HASH(1),
    ARRAY(2),
    PROG_ARRAY(3),
    PERF_EVENT_ARRAY(4),
    PERCPU_HASH(5),
    PERCPU_ARRAY(6),
    STACK_TRACE(7),
    CGROUP_ARRAY(8),
    LRU_HASH(9),
    LRU_PERCPU_HASH(10),
    LPM_TRIE(11),
    ARRAY_OF_MAPS(12),
    HASH_OF_MAPS(13),
    DEVMAP(14),
    SOCKMAP(15),
    CPUMAP(16),
    XSKMAP(17),
    SOCKHASH(18),
    CGROUP_STORAGE(19),
    REUSEPORT_SOCKARRAY(20),
    PERCPU_CGROUP_STORAGE(21),
    QUEUE(22),
    STACK(23),
    SK_STORAGE(24),
    DEVMAP_HASH(25),
    STRUCT_OPS(26),
    RINGBUF(27),
    INODE_STORAGE(28),
    TASK_STORAGE(29),
    BLOOM_FILTER(30),
    USER_RINGBUF(31),
    CGRP_STORAGE(32),
    ARENA(33);

    private static final String PREFIX = "BPF_MAP_TYPE_";
    private static final KernelNumbers<MapType> NUMBERS = new KernelNumbers<>("BPF map type", values());

    private final int value;

    MapType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The uapi name, e.g. {@code BPF_MAP_TYPE_HASH}. */
    @Override
    public String kernelName() {
        return PREFIX + name();
    }

    /** The constant Linux numbers {@code value}, or empty when Linux 6.18 defines none. */
    public static Optional<MapType> of(int value) {
        return NUMBERS.find(value);
    }

    /** The constant Linux numbers {@code value}; an {@link IllegalArgumentException} naming the number otherwise. */
    public static MapType require(int value) {
        return NUMBERS.require(value);
    }
}
