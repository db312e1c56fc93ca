package org.ebpf4j.verifier.walk;

import java.util.Set;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.verifier.VerificationFailure;

/**
 * Which helpers may take which maps: the kernel's record_func_map (programs cannot change read-only maps) and
 * check_map_func_compatibility (each map type has its helpers, each map helper its map types), for the map types
 * and helpers ebpf4j models.
 */
final class MapHelperRules {
    private MapHelperRules() {}

    private static final Set<HelperFunction> CHANGES_MAP = Set.of(HelperFunction.MAP_DELETE_ELEM,
            HelperFunction.MAP_UPDATE_ELEM, HelperFunction.MAP_PUSH_ELEM, HelperFunction.MAP_POP_ELEM);

    /** Map types whose helper rules (sockets, local storage, arenas) are not modelled yet. */
    private static final Set<MapType> UNMODELLED = Set.of(MapType.UNSPEC, MapType.SOCKMAP, MapType.SOCKHASH,
            MapType.SK_STORAGE, MapType.INODE_STORAGE, MapType.TASK_STORAGE, MapType.CGRP_STORAGE,
            MapType.STRUCT_OPS, MapType.ARENA);

    /** record_func_map: a BPF_F_RDONLY_PROG map cannot be changed through helpers either. */
    static void checkWritable(HelperFunction helper, MapSpec map, int idx) {
        if (map != null && (ObjectAccess.programFlags(map) & MapFlags.BPF_F_RDONLY_PROG) != 0
                && CHANGES_MAP.contains(helper)) {
            throw VerificationFailure.rule(idx, "write into map forbidden");
        }
    }

    /** check_map_func_compatibility: "cannot pass map_type %d into func %s#%d" both ways. */
    static void checkCompatible(HelperFunction helper, MapSpec map, int idx) {
        if (map == null) {
            return;
        }
        if (UNMODELLED.contains(map.type())) {
            throw VerificationFailure.unsupported(idx, "helpers on maps of type " + map.type().kernelName());
        }
        if (!mapAllows(map.type(), helper) || !helperAllows(helper, map.type())) {
            throw VerificationFailure.rule(idx, "cannot pass map_type %d into func %s#%d", map.type().value(),
                    helper.kernelName(), helper.value());
        }
    }

    /** The map's side: special map types take only their own helpers. */
    private static boolean mapAllows(MapType type, HelperFunction h) {
        return switch (type) {
            case PROG_ARRAY -> h == HelperFunction.TAIL_CALL;
            case PERF_EVENT_ARRAY -> h == HelperFunction.PERF_EVENT_READ || h == HelperFunction.PERF_EVENT_OUTPUT
                    || h == HelperFunction.SKB_OUTPUT || h == HelperFunction.PERF_EVENT_READ_VALUE
                    || h == HelperFunction.XDP_OUTPUT;
            case RINGBUF -> h == HelperFunction.RINGBUF_OUTPUT || h == HelperFunction.RINGBUF_RESERVE
                    || h == HelperFunction.RINGBUF_QUERY || h == HelperFunction.RINGBUF_RESERVE_DYNPTR
                    || h == HelperFunction.RINGBUF_SUBMIT_DYNPTR || h == HelperFunction.RINGBUF_DISCARD_DYNPTR;
            case USER_RINGBUF -> h == HelperFunction.USER_RINGBUF_DRAIN;
            case STACK_TRACE -> h == HelperFunction.GET_STACKID;
            case CGROUP_ARRAY -> h == HelperFunction.SKB_UNDER_CGROUP
                    || h == HelperFunction.CURRENT_TASK_UNDER_CGROUP;
            case CGROUP_STORAGE, PERCPU_CGROUP_STORAGE -> h == HelperFunction.GET_LOCAL_STORAGE;
            case DEVMAP, DEVMAP_HASH, XSKMAP -> h == HelperFunction.REDIRECT_MAP
                    || h == HelperFunction.MAP_LOOKUP_ELEM;
            case CPUMAP -> h == HelperFunction.REDIRECT_MAP;
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> h == HelperFunction.MAP_LOOKUP_ELEM;
            case REUSEPORT_SOCKARRAY -> h == HelperFunction.SK_SELECT_REUSEPORT;
            case QUEUE, STACK -> h == HelperFunction.MAP_PEEK_ELEM || h == HelperFunction.MAP_POP_ELEM
                    || h == HelperFunction.MAP_PUSH_ELEM;
            case BLOOM_FILTER -> h == HelperFunction.MAP_PEEK_ELEM || h == HelperFunction.MAP_PUSH_ELEM;
            default -> true;
        };
    }

    /** The helper's side: map helpers with a map type of their own. */
    private static boolean helperAllows(HelperFunction h, MapType type) {
        return switch (h) {
            case TAIL_CALL -> type == MapType.PROG_ARRAY;
            case PERF_EVENT_READ, PERF_EVENT_OUTPUT, PERF_EVENT_READ_VALUE, SKB_OUTPUT, XDP_OUTPUT ->
                    type == MapType.PERF_EVENT_ARRAY;
            case RINGBUF_OUTPUT, RINGBUF_RESERVE, RINGBUF_QUERY, RINGBUF_RESERVE_DYNPTR, RINGBUF_SUBMIT_DYNPTR,
                 RINGBUF_DISCARD_DYNPTR -> type == MapType.RINGBUF;
            case USER_RINGBUF_DRAIN -> type == MapType.USER_RINGBUF;
            case GET_STACKID -> type == MapType.STACK_TRACE;
            case CURRENT_TASK_UNDER_CGROUP, SKB_UNDER_CGROUP -> type == MapType.CGROUP_ARRAY;
            case REDIRECT_MAP -> type == MapType.DEVMAP || type == MapType.DEVMAP_HASH || type == MapType.CPUMAP
                    || type == MapType.XSKMAP;
            case MAP_POP_ELEM -> type == MapType.QUEUE || type == MapType.STACK;
            case MAP_PEEK_ELEM, MAP_PUSH_ELEM -> type == MapType.QUEUE || type == MapType.STACK
                    || type == MapType.BLOOM_FILTER;
            case MAP_LOOKUP_PERCPU_ELEM -> type == MapType.PERCPU_ARRAY || type == MapType.PERCPU_HASH
                    || type == MapType.LRU_PERCPU_HASH;
            default -> true;
        };
    }
}
