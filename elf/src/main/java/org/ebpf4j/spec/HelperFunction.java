package org.ebpf4j.spec;

import java.util.Optional;

/**
 * Helper functions ({@code enum bpf_func_id}): the number a {@code call} instruction carries in imm, and the name
 * the kernel's headers and verifier messages use for it.
 *
 * <p>Numbers and names are those of the running Linux 6.18 kernel's {@code enum bpf_func_id}, read from its BTF
 * ({@code /sys/kernel/btf/vmlinux}) and checked against {@code include/uapi/linux/bpf.h}; see
 * {@code docs/linux-numbers.md}. The list is Linux's {@code ___BPF_FUNC_MAPPER}; upstream froze it at 211 (new
 * functionality comes as kfuncs), so it is complete. 0 ({@link #UNSPEC}) is not a callable helper.
 *
 * <p>Generated from the kernel's enum; edit by regenerating, not by hand.
 */
public enum HelperFunction implements KernelEnum {
    UNSPEC(0, "bpf_unspec"),
    MAP_LOOKUP_ELEM(1, "bpf_map_lookup_elem"),
    MAP_UPDATE_ELEM(2, "bpf_map_update_elem"),
    MAP_DELETE_ELEM(3, "bpf_map_delete_elem"),
    PROBE_READ(4, "bpf_probe_read"),
    KTIME_GET_NS(5, "bpf_ktime_get_ns"),
    TRACE_PRINTK(6, "bpf_trace_printk"),
    GET_PRANDOM_U32(7, "bpf_get_prandom_u32"),
    GET_SMP_PROCESSOR_ID(8, "bpf_get_smp_processor_id"),
    SKB_STORE_BYTES(9, "bpf_skb_store_bytes"),
    L3_CSUM_REPLACE(10, "bpf_l3_csum_replace"),
    L4_CSUM_REPLACE(11, "bpf_l4_csum_replace"),
    TAIL_CALL(12, "bpf_tail_call"),
    CLONE_REDIRECT(13, "bpf_clone_redirect"),
    GET_CURRENT_PID_TGID(14, "bpf_get_current_pid_tgid"),
    GET_CURRENT_UID_GID(15, "bpf_get_current_uid_gid"),
    GET_CURRENT_COMM(16, "bpf_get_current_comm"),
    GET_CGROUP_CLASSID(17, "bpf_get_cgroup_classid"),
    SKB_VLAN_PUSH(18, "bpf_skb_vlan_push"),
    SKB_VLAN_POP(19, "bpf_skb_vlan_pop"),
    SKB_GET_TUNNEL_KEY(20, "bpf_skb_get_tunnel_key"),
    SKB_SET_TUNNEL_KEY(21, "bpf_skb_set_tunnel_key"),
    PERF_EVENT_READ(22, "bpf_perf_event_read"),
    REDIRECT(23, "bpf_redirect"),
    GET_ROUTE_REALM(24, "bpf_get_route_realm"),
    PERF_EVENT_OUTPUT(25, "bpf_perf_event_output"),
    SKB_LOAD_BYTES(26, "bpf_skb_load_bytes"),
    GET_STACKID(27, "bpf_get_stackid"),
    CSUM_DIFF(28, "bpf_csum_diff"),
    SKB_GET_TUNNEL_OPT(29, "bpf_skb_get_tunnel_opt"),
    SKB_SET_TUNNEL_OPT(30, "bpf_skb_set_tunnel_opt"),
    SKB_CHANGE_PROTO(31, "bpf_skb_change_proto"),
    SKB_CHANGE_TYPE(32, "bpf_skb_change_type"),
    SKB_UNDER_CGROUP(33, "bpf_skb_under_cgroup"),
    GET_HASH_RECALC(34, "bpf_get_hash_recalc"),
    GET_CURRENT_TASK(35, "bpf_get_current_task"),
    PROBE_WRITE_USER(36, "bpf_probe_write_user"),
    CURRENT_TASK_UNDER_CGROUP(37, "bpf_current_task_under_cgroup"),
    SKB_CHANGE_TAIL(38, "bpf_skb_change_tail"),
    SKB_PULL_DATA(39, "bpf_skb_pull_data"),
    CSUM_UPDATE(40, "bpf_csum_update"),
    SET_HASH_INVALID(41, "bpf_set_hash_invalid"),
    GET_NUMA_NODE_ID(42, "bpf_get_numa_node_id"),
    SKB_CHANGE_HEAD(43, "bpf_skb_change_head"),
    XDP_ADJUST_HEAD(44, "bpf_xdp_adjust_head"),
    PROBE_READ_STR(45, "bpf_probe_read_str"),
    GET_SOCKET_COOKIE(46, "bpf_get_socket_cookie"),
    GET_SOCKET_UID(47, "bpf_get_socket_uid"),
    SET_HASH(48, "bpf_set_hash"),
    SETSOCKOPT(49, "bpf_setsockopt"),
    SKB_ADJUST_ROOM(50, "bpf_skb_adjust_room"),
    REDIRECT_MAP(51, "bpf_redirect_map"),
    SK_REDIRECT_MAP(52, "bpf_sk_redirect_map"),
    SOCK_MAP_UPDATE(53, "bpf_sock_map_update"),
    XDP_ADJUST_META(54, "bpf_xdp_adjust_meta"),
    PERF_EVENT_READ_VALUE(55, "bpf_perf_event_read_value"),
    PERF_PROG_READ_VALUE(56, "bpf_perf_prog_read_value"),
    GETSOCKOPT(57, "bpf_getsockopt"),
    OVERRIDE_RETURN(58, "bpf_override_return"),
    SOCK_OPS_CB_FLAGS_SET(59, "bpf_sock_ops_cb_flags_set"),
    MSG_REDIRECT_MAP(60, "bpf_msg_redirect_map"),
    MSG_APPLY_BYTES(61, "bpf_msg_apply_bytes"),
    MSG_CORK_BYTES(62, "bpf_msg_cork_bytes"),
    MSG_PULL_DATA(63, "bpf_msg_pull_data"),
    BIND(64, "bpf_bind"),
    XDP_ADJUST_TAIL(65, "bpf_xdp_adjust_tail"),
    SKB_GET_XFRM_STATE(66, "bpf_skb_get_xfrm_state"),
    GET_STACK(67, "bpf_get_stack"),
    SKB_LOAD_BYTES_RELATIVE(68, "bpf_skb_load_bytes_relative"),
    FIB_LOOKUP(69, "bpf_fib_lookup"),
    SOCK_HASH_UPDATE(70, "bpf_sock_hash_update"),
    MSG_REDIRECT_HASH(71, "bpf_msg_redirect_hash"),
    SK_REDIRECT_HASH(72, "bpf_sk_redirect_hash"),
    LWT_PUSH_ENCAP(73, "bpf_lwt_push_encap"),
    LWT_SEG6_STORE_BYTES(74, "bpf_lwt_seg6_store_bytes"),
    LWT_SEG6_ADJUST_SRH(75, "bpf_lwt_seg6_adjust_srh"),
    LWT_SEG6_ACTION(76, "bpf_lwt_seg6_action"),
    RC_REPEAT(77, "bpf_rc_repeat"),
    RC_KEYDOWN(78, "bpf_rc_keydown"),
    SKB_CGROUP_ID(79, "bpf_skb_cgroup_id"),
    GET_CURRENT_CGROUP_ID(80, "bpf_get_current_cgroup_id"),
    GET_LOCAL_STORAGE(81, "bpf_get_local_storage"),
    SK_SELECT_REUSEPORT(82, "bpf_sk_select_reuseport"),
    SKB_ANCESTOR_CGROUP_ID(83, "bpf_skb_ancestor_cgroup_id"),
    SK_LOOKUP_TCP(84, "bpf_sk_lookup_tcp"),
    SK_LOOKUP_UDP(85, "bpf_sk_lookup_udp"),
    SK_RELEASE(86, "bpf_sk_release"),
    MAP_PUSH_ELEM(87, "bpf_map_push_elem"),
    MAP_POP_ELEM(88, "bpf_map_pop_elem"),
    MAP_PEEK_ELEM(89, "bpf_map_peek_elem"),
    MSG_PUSH_DATA(90, "bpf_msg_push_data"),
    MSG_POP_DATA(91, "bpf_msg_pop_data"),
    RC_POINTER_REL(92, "bpf_rc_pointer_rel"),
    SPIN_LOCK(93, "bpf_spin_lock"),
    SPIN_UNLOCK(94, "bpf_spin_unlock"),
    SK_FULLSOCK(95, "bpf_sk_fullsock"),
    TCP_SOCK(96, "bpf_tcp_sock"),
    SKB_ECN_SET_CE(97, "bpf_skb_ecn_set_ce"),
    GET_LISTENER_SOCK(98, "bpf_get_listener_sock"),
    SKC_LOOKUP_TCP(99, "bpf_skc_lookup_tcp"),
    TCP_CHECK_SYNCOOKIE(100, "bpf_tcp_check_syncookie"),
    SYSCTL_GET_NAME(101, "bpf_sysctl_get_name"),
    SYSCTL_GET_CURRENT_VALUE(102, "bpf_sysctl_get_current_value"),
    SYSCTL_GET_NEW_VALUE(103, "bpf_sysctl_get_new_value"),
    SYSCTL_SET_NEW_VALUE(104, "bpf_sysctl_set_new_value"),
    STRTOL(105, "bpf_strtol"),
    STRTOUL(106, "bpf_strtoul"),
    SK_STORAGE_GET(107, "bpf_sk_storage_get"),
    SK_STORAGE_DELETE(108, "bpf_sk_storage_delete"),
    SEND_SIGNAL(109, "bpf_send_signal"),
    TCP_GEN_SYNCOOKIE(110, "bpf_tcp_gen_syncookie"),
    SKB_OUTPUT(111, "bpf_skb_output"),
    PROBE_READ_USER(112, "bpf_probe_read_user"),
    PROBE_READ_KERNEL(113, "bpf_probe_read_kernel"),
    PROBE_READ_USER_STR(114, "bpf_probe_read_user_str"),
    PROBE_READ_KERNEL_STR(115, "bpf_probe_read_kernel_str"),
    TCP_SEND_ACK(116, "bpf_tcp_send_ack"),
    SEND_SIGNAL_THREAD(117, "bpf_send_signal_thread"),
    JIFFIES64(118, "bpf_jiffies64"),
    READ_BRANCH_RECORDS(119, "bpf_read_branch_records"),
    GET_NS_CURRENT_PID_TGID(120, "bpf_get_ns_current_pid_tgid"),
    XDP_OUTPUT(121, "bpf_xdp_output"),
    GET_NETNS_COOKIE(122, "bpf_get_netns_cookie"),
    GET_CURRENT_ANCESTOR_CGROUP_ID(123, "bpf_get_current_ancestor_cgroup_id"),
    SK_ASSIGN(124, "bpf_sk_assign"),
    KTIME_GET_BOOT_NS(125, "bpf_ktime_get_boot_ns"),
    SEQ_PRINTF(126, "bpf_seq_printf"),
    SEQ_WRITE(127, "bpf_seq_write"),
    SK_CGROUP_ID(128, "bpf_sk_cgroup_id"),
    SK_ANCESTOR_CGROUP_ID(129, "bpf_sk_ancestor_cgroup_id"),
    RINGBUF_OUTPUT(130, "bpf_ringbuf_output"),
    RINGBUF_RESERVE(131, "bpf_ringbuf_reserve"),
    RINGBUF_SUBMIT(132, "bpf_ringbuf_submit"),
    RINGBUF_DISCARD(133, "bpf_ringbuf_discard"),
    RINGBUF_QUERY(134, "bpf_ringbuf_query"),
    CSUM_LEVEL(135, "bpf_csum_level"),
    SKC_TO_TCP6_SOCK(136, "bpf_skc_to_tcp6_sock"),
    SKC_TO_TCP_SOCK(137, "bpf_skc_to_tcp_sock"),
    SKC_TO_TCP_TIMEWAIT_SOCK(138, "bpf_skc_to_tcp_timewait_sock"),
    SKC_TO_TCP_REQUEST_SOCK(139, "bpf_skc_to_tcp_request_sock"),
    SKC_TO_UDP6_SOCK(140, "bpf_skc_to_udp6_sock"),
    GET_TASK_STACK(141, "bpf_get_task_stack"),
    LOAD_HDR_OPT(142, "bpf_load_hdr_opt"),
    STORE_HDR_OPT(143, "bpf_store_hdr_opt"),
    RESERVE_HDR_OPT(144, "bpf_reserve_hdr_opt"),
    INODE_STORAGE_GET(145, "bpf_inode_storage_get"),
    INODE_STORAGE_DELETE(146, "bpf_inode_storage_delete"),
    D_PATH(147, "bpf_d_path"),
    COPY_FROM_USER(148, "bpf_copy_from_user"),
    SNPRINTF_BTF(149, "bpf_snprintf_btf"),
    SEQ_PRINTF_BTF(150, "bpf_seq_printf_btf"),
    SKB_CGROUP_CLASSID(151, "bpf_skb_cgroup_classid"),
    REDIRECT_NEIGH(152, "bpf_redirect_neigh"),
    PER_CPU_PTR(153, "bpf_per_cpu_ptr"),
    THIS_CPU_PTR(154, "bpf_this_cpu_ptr"),
    REDIRECT_PEER(155, "bpf_redirect_peer"),
    TASK_STORAGE_GET(156, "bpf_task_storage_get"),
    TASK_STORAGE_DELETE(157, "bpf_task_storage_delete"),
    GET_CURRENT_TASK_BTF(158, "bpf_get_current_task_btf"),
    BPRM_OPTS_SET(159, "bpf_bprm_opts_set"),
    KTIME_GET_COARSE_NS(160, "bpf_ktime_get_coarse_ns"),
    IMA_INODE_HASH(161, "bpf_ima_inode_hash"),
    SOCK_FROM_FILE(162, "bpf_sock_from_file"),
    CHECK_MTU(163, "bpf_check_mtu"),
    FOR_EACH_MAP_ELEM(164, "bpf_for_each_map_elem"),
    SNPRINTF(165, "bpf_snprintf"),
    SYS_BPF(166, "bpf_sys_bpf"),
    BTF_FIND_BY_NAME_KIND(167, "bpf_btf_find_by_name_kind"),
    SYS_CLOSE(168, "bpf_sys_close"),
    TIMER_INIT(169, "bpf_timer_init"),
    TIMER_SET_CALLBACK(170, "bpf_timer_set_callback"),
    TIMER_START(171, "bpf_timer_start"),
    TIMER_CANCEL(172, "bpf_timer_cancel"),
    GET_FUNC_IP(173, "bpf_get_func_ip"),
    GET_ATTACH_COOKIE(174, "bpf_get_attach_cookie"),
    TASK_PT_REGS(175, "bpf_task_pt_regs"),
    GET_BRANCH_SNAPSHOT(176, "bpf_get_branch_snapshot"),
    TRACE_VPRINTK(177, "bpf_trace_vprintk"),
    SKC_TO_UNIX_SOCK(178, "bpf_skc_to_unix_sock"),
    KALLSYMS_LOOKUP_NAME(179, "bpf_kallsyms_lookup_name"),
    FIND_VMA(180, "bpf_find_vma"),
    LOOP(181, "bpf_loop"),
    STRNCMP(182, "bpf_strncmp"),
    GET_FUNC_ARG(183, "bpf_get_func_arg"),
    GET_FUNC_RET(184, "bpf_get_func_ret"),
    GET_FUNC_ARG_CNT(185, "bpf_get_func_arg_cnt"),
    GET_RETVAL(186, "bpf_get_retval"),
    SET_RETVAL(187, "bpf_set_retval"),
    XDP_GET_BUFF_LEN(188, "bpf_xdp_get_buff_len"),
    XDP_LOAD_BYTES(189, "bpf_xdp_load_bytes"),
    XDP_STORE_BYTES(190, "bpf_xdp_store_bytes"),
    COPY_FROM_USER_TASK(191, "bpf_copy_from_user_task"),
    SKB_SET_TSTAMP(192, "bpf_skb_set_tstamp"),
    IMA_FILE_HASH(193, "bpf_ima_file_hash"),
    KPTR_XCHG(194, "bpf_kptr_xchg"),
    MAP_LOOKUP_PERCPU_ELEM(195, "bpf_map_lookup_percpu_elem"),
    SKC_TO_MPTCP_SOCK(196, "bpf_skc_to_mptcp_sock"),
    DYNPTR_FROM_MEM(197, "bpf_dynptr_from_mem"),
    RINGBUF_RESERVE_DYNPTR(198, "bpf_ringbuf_reserve_dynptr"),
    RINGBUF_SUBMIT_DYNPTR(199, "bpf_ringbuf_submit_dynptr"),
    RINGBUF_DISCARD_DYNPTR(200, "bpf_ringbuf_discard_dynptr"),
    DYNPTR_READ(201, "bpf_dynptr_read"),
    DYNPTR_WRITE(202, "bpf_dynptr_write"),
    DYNPTR_DATA(203, "bpf_dynptr_data"),
    TCP_RAW_GEN_SYNCOOKIE_IPV4(204, "bpf_tcp_raw_gen_syncookie_ipv4"),
    TCP_RAW_GEN_SYNCOOKIE_IPV6(205, "bpf_tcp_raw_gen_syncookie_ipv6"),
    TCP_RAW_CHECK_SYNCOOKIE_IPV4(206, "bpf_tcp_raw_check_syncookie_ipv4"),
    TCP_RAW_CHECK_SYNCOOKIE_IPV6(207, "bpf_tcp_raw_check_syncookie_ipv6"),
    KTIME_GET_TAI_NS(208, "bpf_ktime_get_tai_ns"),
    USER_RINGBUF_DRAIN(209, "bpf_user_ringbuf_drain"),
    CGRP_STORAGE_GET(210, "bpf_cgrp_storage_get"),
    CGRP_STORAGE_DELETE(211, "bpf_cgrp_storage_delete");

    private static final KernelNumbers<HelperFunction> NUMBERS = new KernelNumbers<>("BPF helper id", values());

    private final int value;
    private final String kernelName;

    HelperFunction(int value, String kernelName) {
        this.value = value;
        this.kernelName = kernelName;
    }

    @Override
    public int value() {
        return value;
    }

    /** The helper's C name, e.g. {@code bpf_map_lookup_elem}. */
    @Override
    public String kernelName() {
        return kernelName;
    }

    /** The uapi enumerator, e.g. {@code BPF_FUNC_map_lookup_elem}. */
    public String enumeratorName() {
        return "BPF_FUNC_" + kernelName.substring("bpf_".length());
    }

    /** The helper Linux numbers {@code value}, or empty when Linux 6.18 defines none. */
    /** __BPF_FUNC_MAX_ID: one above the last helper id; ids from here on are not the kernel's helpers. */
    public static int maxId() {
        return CGRP_STORAGE_DELETE.value() + 1;
    }

    public static Optional<HelperFunction> of(int value) {
        return NUMBERS.find(value);
    }

    /** The helper Linux numbers {@code value}; an {@link IllegalArgumentException} naming the number otherwise. */
    public static HelperFunction require(int value) {
        return NUMBERS.require(value);
    }
}
