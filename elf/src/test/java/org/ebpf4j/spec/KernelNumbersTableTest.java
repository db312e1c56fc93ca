package org.ebpf4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kernel name -> number, as the Linux 6.18 kernel's own BTF ({@code /sys/kernel/btf/vmlinux}) states them; every
 * program, attach, map and link type, and a spread of helper ids including the first and the last.
 */
class KernelNumbersTableTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "BPF_PROG_TYPE_UNSPEC, 0",
            "BPF_PROG_TYPE_SOCKET_FILTER, 1",
            "BPF_PROG_TYPE_KPROBE, 2",
            "BPF_PROG_TYPE_SCHED_CLS, 3",
            "BPF_PROG_TYPE_SCHED_ACT, 4",
            "BPF_PROG_TYPE_TRACEPOINT, 5",
            "BPF_PROG_TYPE_XDP, 6",
            "BPF_PROG_TYPE_PERF_EVENT, 7",
            "BPF_PROG_TYPE_CGROUP_SKB, 8",
            "BPF_PROG_TYPE_CGROUP_SOCK, 9",
            "BPF_PROG_TYPE_LWT_IN, 10",
            "BPF_PROG_TYPE_LWT_OUT, 11",
            "BPF_PROG_TYPE_LWT_XMIT, 12",
            "BPF_PROG_TYPE_SOCK_OPS, 13",
            "BPF_PROG_TYPE_SK_SKB, 14",
            "BPF_PROG_TYPE_CGROUP_DEVICE, 15",
            "BPF_PROG_TYPE_SK_MSG, 16",
            "BPF_PROG_TYPE_RAW_TRACEPOINT, 17",
            "BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 18",
            "BPF_PROG_TYPE_LWT_SEG6LOCAL, 19",
            "BPF_PROG_TYPE_LIRC_MODE2, 20",
            "BPF_PROG_TYPE_SK_REUSEPORT, 21",
            "BPF_PROG_TYPE_FLOW_DISSECTOR, 22",
            "BPF_PROG_TYPE_CGROUP_SYSCTL, 23",
            "BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 24",
            "BPF_PROG_TYPE_CGROUP_SOCKOPT, 25",
            "BPF_PROG_TYPE_TRACING, 26",
            "BPF_PROG_TYPE_STRUCT_OPS, 27",
            "BPF_PROG_TYPE_EXT, 28",
            "BPF_PROG_TYPE_LSM, 29",
            "BPF_PROG_TYPE_SK_LOOKUP, 30",
            "BPF_PROG_TYPE_SYSCALL, 31",
            "BPF_PROG_TYPE_NETFILTER, 32"
    })
    void programTypes(String kernelName, int value) {
        assertEquals(kernelName, ProgramType.require(value).kernelName());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "BPF_CGROUP_INET_INGRESS, 0",
            "BPF_CGROUP_INET_EGRESS, 1",
            "BPF_CGROUP_INET_SOCK_CREATE, 2",
            "BPF_CGROUP_SOCK_OPS, 3",
            "BPF_SK_SKB_STREAM_PARSER, 4",
            "BPF_SK_SKB_STREAM_VERDICT, 5",
            "BPF_CGROUP_DEVICE, 6",
            "BPF_SK_MSG_VERDICT, 7",
            "BPF_CGROUP_INET4_BIND, 8",
            "BPF_CGROUP_INET6_BIND, 9",
            "BPF_CGROUP_INET4_CONNECT, 10",
            "BPF_CGROUP_INET6_CONNECT, 11",
            "BPF_CGROUP_INET4_POST_BIND, 12",
            "BPF_CGROUP_INET6_POST_BIND, 13",
            "BPF_CGROUP_UDP4_SENDMSG, 14",
            "BPF_CGROUP_UDP6_SENDMSG, 15",
            "BPF_LIRC_MODE2, 16",
            "BPF_FLOW_DISSECTOR, 17",
            "BPF_CGROUP_SYSCTL, 18",
            "BPF_CGROUP_UDP4_RECVMSG, 19",
            "BPF_CGROUP_UDP6_RECVMSG, 20",
            "BPF_CGROUP_GETSOCKOPT, 21",
            "BPF_CGROUP_SETSOCKOPT, 22",
            "BPF_TRACE_RAW_TP, 23",
            "BPF_TRACE_FENTRY, 24",
            "BPF_TRACE_FEXIT, 25",
            "BPF_MODIFY_RETURN, 26",
            "BPF_LSM_MAC, 27",
            "BPF_TRACE_ITER, 28",
            "BPF_CGROUP_INET4_GETPEERNAME, 29",
            "BPF_CGROUP_INET6_GETPEERNAME, 30",
            "BPF_CGROUP_INET4_GETSOCKNAME, 31",
            "BPF_CGROUP_INET6_GETSOCKNAME, 32",
            "BPF_XDP_DEVMAP, 33",
            "BPF_CGROUP_INET_SOCK_RELEASE, 34",
            "BPF_XDP_CPUMAP, 35",
            "BPF_SK_LOOKUP, 36",
            "BPF_XDP, 37",
            "BPF_SK_SKB_VERDICT, 38",
            "BPF_SK_REUSEPORT_SELECT, 39",
            "BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, 40",
            "BPF_PERF_EVENT, 41",
            "BPF_TRACE_KPROBE_MULTI, 42",
            "BPF_LSM_CGROUP, 43",
            "BPF_STRUCT_OPS, 44",
            "BPF_NETFILTER, 45",
            "BPF_TCX_INGRESS, 46",
            "BPF_TCX_EGRESS, 47",
            "BPF_TRACE_UPROBE_MULTI, 48",
            "BPF_CGROUP_UNIX_CONNECT, 49",
            "BPF_CGROUP_UNIX_SENDMSG, 50",
            "BPF_CGROUP_UNIX_RECVMSG, 51",
            "BPF_CGROUP_UNIX_GETPEERNAME, 52",
            "BPF_CGROUP_UNIX_GETSOCKNAME, 53",
            "BPF_NETKIT_PRIMARY, 54",
            "BPF_NETKIT_PEER, 55",
            "BPF_TRACE_KPROBE_SESSION, 56",
            "BPF_TRACE_UPROBE_SESSION, 57"
    })
    void attachTypes(String kernelName, int value) {
        assertEquals(kernelName, AttachType.require(value).kernelName());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "BPF_MAP_TYPE_UNSPEC, 0",
            "BPF_MAP_TYPE_HASH, 1",
            "BPF_MAP_TYPE_ARRAY, 2",
            "BPF_MAP_TYPE_PROG_ARRAY, 3",
            "BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4",
            "BPF_MAP_TYPE_PERCPU_HASH, 5",
            "BPF_MAP_TYPE_PERCPU_ARRAY, 6",
            "BPF_MAP_TYPE_STACK_TRACE, 7",
            "BPF_MAP_TYPE_CGROUP_ARRAY, 8",
            "BPF_MAP_TYPE_LRU_HASH, 9",
            "BPF_MAP_TYPE_LRU_PERCPU_HASH, 10",
            "BPF_MAP_TYPE_LPM_TRIE, 11",
            "BPF_MAP_TYPE_ARRAY_OF_MAPS, 12",
            "BPF_MAP_TYPE_HASH_OF_MAPS, 13",
            "BPF_MAP_TYPE_DEVMAP, 14",
            "BPF_MAP_TYPE_SOCKMAP, 15",
            "BPF_MAP_TYPE_CPUMAP, 16",
            "BPF_MAP_TYPE_XSKMAP, 17",
            "BPF_MAP_TYPE_SOCKHASH, 18",
            "BPF_MAP_TYPE_CGROUP_STORAGE, 19",
            "BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, 20",
            "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, 21",
            "BPF_MAP_TYPE_QUEUE, 22",
            "BPF_MAP_TYPE_STACK, 23",
            "BPF_MAP_TYPE_SK_STORAGE, 24",
            "BPF_MAP_TYPE_DEVMAP_HASH, 25",
            "BPF_MAP_TYPE_STRUCT_OPS, 26",
            "BPF_MAP_TYPE_RINGBUF, 27",
            "BPF_MAP_TYPE_INODE_STORAGE, 28",
            "BPF_MAP_TYPE_TASK_STORAGE, 29",
            "BPF_MAP_TYPE_BLOOM_FILTER, 30",
            "BPF_MAP_TYPE_USER_RINGBUF, 31",
            "BPF_MAP_TYPE_CGRP_STORAGE, 32",
            "BPF_MAP_TYPE_ARENA, 33"
    })
    void mapTypes(String kernelName, int value) {
        assertEquals(kernelName, MapType.require(value).kernelName());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "BPF_LINK_TYPE_UNSPEC, 0",
            "BPF_LINK_TYPE_RAW_TRACEPOINT, 1",
            "BPF_LINK_TYPE_TRACING, 2",
            "BPF_LINK_TYPE_CGROUP, 3",
            "BPF_LINK_TYPE_ITER, 4",
            "BPF_LINK_TYPE_NETNS, 5",
            "BPF_LINK_TYPE_XDP, 6",
            "BPF_LINK_TYPE_PERF_EVENT, 7",
            "BPF_LINK_TYPE_KPROBE_MULTI, 8",
            "BPF_LINK_TYPE_STRUCT_OPS, 9",
            "BPF_LINK_TYPE_NETFILTER, 10",
            "BPF_LINK_TYPE_TCX, 11",
            "BPF_LINK_TYPE_UPROBE_MULTI, 12",
            "BPF_LINK_TYPE_NETKIT, 13",
            "BPF_LINK_TYPE_SOCKMAP, 14"
    })
    void linkTypes(String kernelName, int value) {
        assertEquals(kernelName, LinkType.require(value).kernelName());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "BPF_FUNC_unspec, 0",
            "BPF_FUNC_map_lookup_elem, 1",
            "BPF_FUNC_map_update_elem, 2",
            "BPF_FUNC_map_delete_elem, 3",
            "BPF_FUNC_probe_read, 4",
            "BPF_FUNC_ktime_get_ns, 5",
            "BPF_FUNC_trace_printk, 6",
            "BPF_FUNC_get_prandom_u32, 7",
            "BPF_FUNC_get_smp_processor_id, 8",
            "BPF_FUNC_skb_store_bytes, 9",
            "BPF_FUNC_l3_csum_replace, 10",
            "BPF_FUNC_l4_csum_replace, 11",
            "BPF_FUNC_tail_call, 12",
            "BPF_FUNC_skb_vlan_push, 18",
            "BPF_FUNC_get_stackid, 27",
            "BPF_FUNC_probe_write_user, 36",
            "BPF_FUNC_xdp_adjust_head, 44",
            "BPF_FUNC_probe_read_str, 45",
            "BPF_FUNC_redirect_map, 51",
            "BPF_FUNC_xdp_adjust_meta, 54",
            "BPF_FUNC_msg_pull_data, 63",
            "BPF_FUNC_sk_redirect_hash, 72",
            "BPF_FUNC_get_local_storage, 81",
            "BPF_FUNC_msg_push_data, 90",
            "BPF_FUNC_spin_lock, 93",
            "BPF_FUNC_skc_lookup_tcp, 99",
            "BPF_FUNC_strtol, 105",
            "BPF_FUNC_sk_storage_delete, 108",
            "BPF_FUNC_probe_read_kernel_str, 115",
            "BPF_FUNC_send_signal_thread, 117",
            "BPF_FUNC_seq_printf, 126",
            "BPF_FUNC_ringbuf_reserve, 131",
            "BPF_FUNC_csum_level, 135",
            "BPF_FUNC_reserve_hdr_opt, 144",
            "BPF_FUNC_per_cpu_ptr, 153",
            "BPF_FUNC_sock_from_file, 162",
            "BPF_FUNC_for_each_map_elem, 164",
            "BPF_FUNC_snprintf, 165",
            "BPF_FUNC_timer_start, 171",
            "BPF_FUNC_get_func_ip, 173",
            "BPF_FUNC_get_attach_cookie, 174",
            "BPF_FUNC_find_vma, 180",
            "BPF_FUNC_loop, 181",
            "BPF_FUNC_xdp_load_bytes, 189",
            "BPF_FUNC_ringbuf_reserve_dynptr, 198",
            "BPF_FUNC_tcp_raw_gen_syncookie_ipv4, 204",
            "BPF_FUNC_tcp_raw_gen_syncookie_ipv6, 205",
            "BPF_FUNC_tcp_raw_check_syncookie_ipv4, 206",
            "BPF_FUNC_tcp_raw_check_syncookie_ipv6, 207",
            "BPF_FUNC_ktime_get_tai_ns, 208",
            "BPF_FUNC_user_ringbuf_drain, 209",
            "BPF_FUNC_cgrp_storage_get, 210",
            "BPF_FUNC_cgrp_storage_delete, 211"
    })
    void helpers(String enumeratorName, int value) {
        HelperFunction helper = HelperFunction.require(value);
        assertEquals(enumeratorName, helper.enumeratorName());
        assertEquals("bpf_" + enumeratorName.substring("BPF_FUNC_".length()), helper.kernelName());
    }
}
