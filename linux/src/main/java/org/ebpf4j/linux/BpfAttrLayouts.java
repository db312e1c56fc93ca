package org.ebpf4j.linux;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The parts of {@code union bpf_attr} ({@code include/uapi/linux/bpf.h}) this backend fills, one struct per command
 * family, with the header's field names. Pointers are {@code __aligned_u64} in the header and {@code JAVA_LONG}
 * here. {@code BpfAttrLayoutsTest} checks every offset against the header (and against the running kernel's BTF).
 *
 * <p>A struct may stop before the kernel's does: {@code bpf()} takes the size, and the kernel reads the fields it
 * was not given as zero. Fields after what a struct lists are thus "not used".
 */
final class BpfAttrLayouts {
    private static final MemoryLayout U32 = JAVA_INT;
    private static final MemoryLayout U64 = JAVA_LONG;
    /** {@code BPF_OBJ_NAME_LEN}. */
    static final int OBJ_NAME_LEN = 16;

    /** {@code BPF_MAP_CREATE}. */
    static final StructLayout MAP_CREATE = structLayout(
            U32.withName("map_type"),
            U32.withName("key_size"),
            U32.withName("value_size"),
            U32.withName("max_entries"),
            U32.withName("map_flags"),
            U32.withName("inner_map_fd"),
            U32.withName("numa_node"),
            sequenceLayout(OBJ_NAME_LEN, JAVA_BYTE).withName("map_name"),
            U32.withName("map_ifindex"),
            U32.withName("btf_fd"),
            U32.withName("btf_key_type_id"),
            U32.withName("btf_value_type_id"),
            U32.withName("btf_vmlinux_value_type_id"),
            U64.withName("map_extra"));

    /** {@code BPF_MAP_*_ELEM}, {@code BPF_MAP_GET_NEXT_KEY} ({@code next_key} shares {@code value}'s place), freeze. */
    static final StructLayout MAP_ELEM = structLayout(
            U32.withName("map_fd"),
            paddingLayout(4),
            U64.withName("key"),
            U64.withName("value"),
            U64.withName("flags"));

    /** {@code BPF_PROG_LOAD}, up to {@code log_true_size} (Linux 6.4), which the kernel writes back. */
    static final StructLayout PROG_LOAD = structLayout(
            U32.withName("prog_type"),
            U32.withName("insn_cnt"),
            U64.withName("insns"),
            U64.withName("license"),
            U32.withName("log_level"),
            U32.withName("log_size"),
            U64.withName("log_buf"),
            U32.withName("kern_version"),
            U32.withName("prog_flags"),
            sequenceLayout(OBJ_NAME_LEN, JAVA_BYTE).withName("prog_name"),
            U32.withName("prog_ifindex"),
            U32.withName("expected_attach_type"),
            U32.withName("prog_btf_fd"),
            U32.withName("func_info_rec_size"),
            U64.withName("func_info"),
            U32.withName("func_info_cnt"),
            U32.withName("line_info_rec_size"),
            U64.withName("line_info"),
            U32.withName("line_info_cnt"),
            U32.withName("attach_btf_id"),
            U32.withName("attach_prog_fd"),
            U32.withName("core_relo_cnt"),
            U64.withName("fd_array"),
            U64.withName("core_relos"),
            U32.withName("core_relo_rec_size"),
            U32.withName("log_true_size"));

    /** {@code BPF_PROG_TEST_RUN} (the header's {@code test} member), padded to its 8-byte alignment. */
    static final StructLayout PROG_TEST_RUN = structLayout(
            U32.withName("prog_fd"),
            U32.withName("retval"),
            U32.withName("data_size_in"),
            U32.withName("data_size_out"),
            U64.withName("data_in"),
            U64.withName("data_out"),
            U32.withName("repeat"),
            U32.withName("duration"),
            U32.withName("ctx_size_in"),
            U32.withName("ctx_size_out"),
            U64.withName("ctx_in"),
            U64.withName("ctx_out"),
            U32.withName("flags"),
            U32.withName("cpu"),
            U32.withName("batch_size"),
            paddingLayout(4));

    private BpfAttrLayouts() {}

    /**
     * {@code BPF_LINK_CREATE}: the fields every attach type shares. The union after {@code flags} (perf event
     * cookie, tcx relative fd and expected revision, ...) stays zero: "no cookie", "append", "any revision".
     */
    static final StructLayout LINK_CREATE = structLayout(
            U32.withName("prog_fd"),
            U32.withName("target_fd"),
            U32.withName("attach_type"),
            U32.withName("flags"));

    /** {@code BPF_RAW_TRACEPOINT_OPEN} ({@code raw_tracepoint}), up to {@code prog_fd}; no cookie. */
    static final StructLayout RAW_TRACEPOINT_OPEN = structLayout(
            U64.withName("name"),
            U32.withName("prog_fd"),
            paddingLayout(4));

    /** {@code BPF_BTF_LOAD}, up to {@code btf_log_true_size} (Linux 6.4), which the kernel writes back. */
    static final StructLayout BTF_LOAD = structLayout(
            U64.withName("btf"),
            U64.withName("btf_log_buf"),
            U32.withName("btf_size"),
            U32.withName("btf_log_size"),
            U32.withName("btf_log_level"),
            U32.withName("btf_log_true_size"));

    /** {@code BPF_OBJ_PIN} and {@code BPF_OBJ_GET}, up to {@code file_flags}; no {@code path_fd}. */
    static final StructLayout OBJ = structLayout(
            U64.withName("pathname"),
            U32.withName("bpf_fd"),
            U32.withName("file_flags"));

    /**
     * {@code BPF_*_GET_NEXT_ID} and {@code BPF_*_GET_FD_BY_ID}: {@code start_id} shares its place with
     * {@code prog_id}, {@code map_id}, {@code btf_id} and {@code link_id}.
     */
    static final StructLayout GET_ID = structLayout(
            U32.withName("start_id"),
            U32.withName("next_id"),
            U32.withName("open_flags"));

    /** {@code BPF_OBJ_GET_INFO_BY_FD} ({@code info}). */
    static final StructLayout INFO = structLayout(
            U32.withName("bpf_fd"),
            U32.withName("info_len"),
            U64.withName("info"));

    /** {@code BPF_MAP_*_BATCH} ({@code batch}). */
    static final StructLayout BATCH = structLayout(
            U64.withName("in_batch"),
            U64.withName("out_batch"),
            U64.withName("keys"),
            U64.withName("values"),
            U32.withName("count"),
            U32.withName("map_fd"),
            U64.withName("elem_flags"),
            U64.withName("flags"));

    /** {@code BPF_ENABLE_STATS} ({@code enable_stats}). */
    static final StructLayout ENABLE_STATS = structLayout(U32.withName("type"));

    /** {@code struct bpf_prog_info} as Linux 6.18 has it (every field, since the kernel writes them all). */
    static final StructLayout PROG_INFO = structLayout(
            U32.withName("type"),
            U32.withName("id"),
            sequenceLayout(8, JAVA_BYTE).withName("tag"),
            U32.withName("jited_prog_len"),
            U32.withName("xlated_prog_len"),
            U64.withName("jited_prog_insns"),
            U64.withName("xlated_prog_insns"),
            U64.withName("load_time"),
            U32.withName("created_by_uid"),
            U32.withName("nr_map_ids"),
            U64.withName("map_ids"),
            sequenceLayout(OBJ_NAME_LEN, JAVA_BYTE).withName("name"),
            U32.withName("ifindex"),
            U32.withName("gpl_compatible"),
            U64.withName("netns_dev"),
            U64.withName("netns_ino"),
            U32.withName("nr_jited_ksyms"),
            U32.withName("nr_jited_func_lens"),
            U64.withName("jited_ksyms"),
            U64.withName("jited_func_lens"),
            U32.withName("btf_id"),
            U32.withName("func_info_rec_size"),
            U64.withName("func_info"),
            U32.withName("nr_func_info"),
            U32.withName("nr_line_info"),
            U64.withName("line_info"),
            U64.withName("jited_line_info"),
            U32.withName("nr_jited_line_info"),
            U32.withName("line_info_rec_size"),
            U32.withName("jited_line_info_rec_size"),
            U32.withName("nr_prog_tags"),
            U64.withName("prog_tags"),
            U64.withName("run_time_ns"),
            U64.withName("run_cnt"),
            U64.withName("recursion_misses"),
            U32.withName("verified_insns"),
            U32.withName("attach_btf_obj_id"),
            U32.withName("attach_btf_id"),
            paddingLayout(4));

    /** {@code struct bpf_map_info} as Linux 6.18 has it ({@code hash} stays 0: no hash of the map is asked). */
    static final StructLayout MAP_INFO = structLayout(
            U32.withName("type"),
            U32.withName("id"),
            U32.withName("key_size"),
            U32.withName("value_size"),
            U32.withName("max_entries"),
            U32.withName("map_flags"),
            sequenceLayout(OBJ_NAME_LEN, JAVA_BYTE).withName("name"),
            U32.withName("ifindex"),
            U32.withName("btf_vmlinux_value_type_id"),
            U64.withName("netns_dev"),
            U64.withName("netns_ino"),
            U32.withName("btf_id"),
            U32.withName("btf_key_type_id"),
            U32.withName("btf_value_type_id"),
            U32.withName("btf_vmlinux_id"),
            U64.withName("map_extra"),
            U64.withName("hash"),
            U32.withName("hash_size"),
            paddingLayout(4));

    /** {@code struct bpf_btf_info}. */
    static final StructLayout BTF_INFO = structLayout(
            U64.withName("btf"),
            U32.withName("btf_size"),
            U32.withName("id"),
            U64.withName("name"),
            U32.withName("name_len"),
            U32.withName("kernel_btf"));
}
