package org.ebpf4j.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.StructLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.Member;
import org.junit.jupiter.api.Test;

/**
 * The {@code bpf_attr} layouts against the uapi header. The expected offsets were printed with {@code offsetof} from
 * {@code /usr/include/linux/bpf.h} (linux-libc-dev 6.1) on the development machine; {@code log_true_size} (6.4) is
 * newer than that header and was read from the 6.18 kernel's BTF, as were {@code bpf_map_info}'s {@code hash} and
 * {@code hash_size}. Where {@code /sys/kernel/btf/vmlinux} is readable, every field is also checked against the
 * running kernel's own {@code union bpf_attr} and info structs.
 */
class BpfAttrLayoutsTest {

    private static final Map<String, Long> MAP_CREATE = offsets(
            "map_type", 0, "key_size", 4, "value_size", 8, "max_entries", 12, "map_flags", 16, "inner_map_fd", 20,
            "numa_node", 24, "map_name", 28, "map_ifindex", 44, "btf_fd", 48, "btf_key_type_id", 52,
            "btf_value_type_id", 56, "btf_vmlinux_value_type_id", 60, "map_extra", 64);
    private static final Map<String, Long> MAP_ELEM = offsets(
            "map_fd", 0, "key", 8, "value", 16, "flags", 24);
    private static final Map<String, Long> PROG_LOAD = offsets(
            "prog_type", 0, "insn_cnt", 4, "insns", 8, "license", 16, "log_level", 24, "log_size", 28, "log_buf", 32,
            "kern_version", 40, "prog_flags", 44, "prog_name", 48, "prog_ifindex", 64, "expected_attach_type", 68,
            "prog_btf_fd", 72, "func_info_rec_size", 76, "func_info", 80, "func_info_cnt", 88,
            "line_info_rec_size", 92, "line_info", 96, "line_info_cnt", 104, "attach_btf_id", 108,
            "attach_prog_fd", 112, "core_relo_cnt", 116, "fd_array", 120, "core_relos", 128,
            "core_relo_rec_size", 136, "log_true_size", 140);
    private static final Map<String, Long> PROG_TEST_RUN = offsets(
            "prog_fd", 0, "retval", 4, "data_size_in", 8, "data_size_out", 12, "data_in", 16, "data_out", 24,
            "repeat", 32, "duration", 36, "ctx_size_in", 40, "ctx_size_out", 44, "ctx_in", 48, "ctx_out", 56,
            "flags", 64, "cpu", 68, "batch_size", 72);
    private static final Map<String, Long> LINK_CREATE = offsets(
            "prog_fd", 0, "target_fd", 4, "attach_type", 8, "flags", 12);
    private static final Map<String, Long> RAW_TRACEPOINT_OPEN = offsets("name", 0, "prog_fd", 8);
    private static final Map<String, Long> BTF_LOAD = offsets(
            "btf", 0, "btf_log_buf", 8, "btf_size", 16, "btf_log_size", 20, "btf_log_level", 24,
            "btf_log_true_size", 28);
    private static final Map<String, Long> OBJ = offsets("pathname", 0, "bpf_fd", 8, "file_flags", 12);
    private static final Map<String, Long> GET_ID = offsets("start_id", 0, "next_id", 4, "open_flags", 8);
    private static final Map<String, Long> INFO = offsets("bpf_fd", 0, "info_len", 4, "info", 8);
    private static final Map<String, Long> BATCH = offsets(
            "in_batch", 0, "out_batch", 8, "keys", 16, "values", 24, "count", 32, "map_fd", 36, "elem_flags", 40,
            "flags", 48);
    private static final Map<String, Long> ENABLE_STATS = offsets("type", 0);
    /** {@code gpl_compatible} is the first bit of the word at 84, a bit-field the kernel's BTF names. */
    private static final Map<String, Long> PROG_INFO = offsets(
            "type", 0, "id", 4, "tag", 8, "jited_prog_len", 16, "xlated_prog_len", 20, "jited_prog_insns", 24,
            "xlated_prog_insns", 32, "load_time", 40, "created_by_uid", 48, "nr_map_ids", 52, "map_ids", 56,
            "name", 64, "ifindex", 80, "gpl_compatible", 84, "netns_dev", 88, "netns_ino", 96, "nr_jited_ksyms", 104,
            "nr_jited_func_lens", 108, "jited_ksyms", 112, "jited_func_lens", 120, "btf_id", 128,
            "func_info_rec_size", 132, "func_info", 136, "nr_func_info", 144, "nr_line_info", 148, "line_info", 152,
            "jited_line_info", 160, "nr_jited_line_info", 168, "line_info_rec_size", 172,
            "jited_line_info_rec_size", 176, "nr_prog_tags", 180, "prog_tags", 184, "run_time_ns", 192,
            "run_cnt", 200, "recursion_misses", 208, "verified_insns", 216, "attach_btf_obj_id", 220,
            "attach_btf_id", 224);
    private static final Map<String, Long> MAP_INFO = offsets(
            "type", 0, "id", 4, "key_size", 8, "value_size", 12, "max_entries", 16, "map_flags", 20, "name", 24,
            "ifindex", 40, "btf_vmlinux_value_type_id", 44, "netns_dev", 48, "netns_ino", 56, "btf_id", 64,
            "btf_key_type_id", 68, "btf_value_type_id", 72, "btf_vmlinux_id", 76, "map_extra", 80, "hash", 88,
            "hash_size", 96);
    private static final Map<String, Long> BTF_INFO = offsets(
            "btf", 0, "btf_size", 8, "id", 12, "name", 16, "name_len", 24, "kernel_btf", 28);
    /** {@code struct perf_event_attr} up to config2, but for the bit-field word (no name in the kernel's BTF). */
    private static final Map<String, Long> PERF_EVENT_ATTR_NAMED = offsets(
            "type", 0, "size", 4, "config", 8, "sample_period", 16, "sample_type", 24, "read_format", 32,
            "wakeup_events", 48, "bp_type", 52, "config1", 56, "config2", 64);

    @Test
    void layoutsMatchTheUapiHeader() {
        assertOffsets(MAP_CREATE, BpfAttrLayouts.MAP_CREATE, 72);
        assertOffsets(MAP_ELEM, BpfAttrLayouts.MAP_ELEM, 32);
        assertOffsets(PROG_LOAD, BpfAttrLayouts.PROG_LOAD, 144);
        assertOffsets(PROG_TEST_RUN, BpfAttrLayouts.PROG_TEST_RUN, 80);
        assertOffsets(LINK_CREATE, BpfAttrLayouts.LINK_CREATE, 16);
        assertOffsets(RAW_TRACEPOINT_OPEN, BpfAttrLayouts.RAW_TRACEPOINT_OPEN, 16);
        assertOffsets(BTF_LOAD, BpfAttrLayouts.BTF_LOAD, 32);
        assertOffsets(OBJ, BpfAttrLayouts.OBJ, 16);
        assertOffsets(GET_ID, BpfAttrLayouts.GET_ID, 12);
        assertOffsets(INFO, BpfAttrLayouts.INFO, 16);
        assertOffsets(BATCH, BpfAttrLayouts.BATCH, 56);
        assertOffsets(ENABLE_STATS, BpfAttrLayouts.ENABLE_STATS, 4);
        assertOffsets(PROG_INFO, BpfAttrLayouts.PROG_INFO, 232);
        assertOffsets(MAP_INFO, BpfAttrLayouts.MAP_INFO, 104);
        assertOffsets(BTF_INFO, BpfAttrLayouts.BTF_INFO, 32);
        Map<String, Long> perfEventAttr = new LinkedHashMap<>(PERF_EVENT_ATTR_NAMED);
        perfEventAttr.put("flags", 40L);
        assertOffsets(perfEventAttr, PerfEvents.ATTR, 72);
    }

    @Test
    void layoutsMatchTheRunningKernelsBpfAttr() {
        Optional<Btf> vmlinux = RunningKernel.vmlinuxBtf();
        assumeTrue(vmlinux.isPresent(), RunningKernel.VMLINUX_BTF + " is not readable here");
        Btf btf = vmlinux.get();
        BtfType.Union attr = (BtfType.Union) btf.type(btf.typeId("bpf_attr", BtfKind.UNION).orElseThrow());
        assertSameAsKernel(btf, attr, "map_type", MAP_CREATE);
        assertSameAsKernel(btf, attr, "map_fd", MAP_ELEM);
        assertSameAsKernel(btf, attr, "prog_type", PROG_LOAD);
        Member test = attr.members().stream().filter(m -> m.name().equals("test")).findFirst().orElseThrow();
        assertFields(btf, (BtfType.Struct) btf.type(btf.resolve(test.type())), PROG_TEST_RUN);
        assertFields(btf, namedMember(btf, attr, "link_create"), LINK_CREATE);
        assertFields(btf, namedMember(btf, attr, "raw_tracepoint"), RAW_TRACEPOINT_OPEN);
        assertFields(btf, (BtfType.Struct) btf.type(btf.typeId("perf_event_attr", BtfKind.STRUCT).orElseThrow()),
                PERF_EVENT_ATTR_NAMED);
        assertSameAsKernel(btf, attr, "btf", BTF_LOAD);
        assertSameAsKernel(btf, attr, "pathname", OBJ);
        assertFields(btf, structWith(btf, attr, "next_id"), GET_ID);
        assertFields(btf, namedMember(btf, attr, "info"), INFO);
        assertFields(btf, namedMember(btf, attr, "batch"), BATCH);
        assertFields(btf, namedMember(btf, attr, "enable_stats"), ENABLE_STATS);
        for (var info : Map.of("bpf_prog_info", PROG_INFO, "bpf_map_info", MAP_INFO, "bpf_btf_info", BTF_INFO)
                .entrySet()) {
            BtfType.Struct struct = (BtfType.Struct) btf.type(btf.typeId(info.getKey(), BtfKind.STRUCT)
                    .orElseThrow());
            assertFields(btf, struct, info.getValue());
            assertEquals(struct.size(), switch (info.getKey()) {
                case "bpf_prog_info" -> BpfAttrLayouts.PROG_INFO.byteSize();
                case "bpf_map_info" -> BpfAttrLayouts.MAP_INFO.byteSize();
                default -> BpfAttrLayouts.BTF_INFO.byteSize();
            }, "size of " + info.getKey());
        }
        assertFields(btf, (BtfType.Struct) btf.type(btf.typeId("perf_event_mmap_page", BtfKind.STRUCT)
                .orElseThrow()), offsets("data_head", (int) LinuxPerfBuffer.DATA_HEAD,
                "data_tail", (int) LinuxPerfBuffer.DATA_TAIL));
    }

    /** The anonymous struct of {@code union bpf_attr} that has a member {@code name}. */
    private static BtfType.Struct structWith(Btf btf, BtfType.Union attr, String name) {
        return attr.members().stream()
                .map(m -> btf.type(btf.resolve(m.type())))
                .filter(t -> t instanceof BtfType.Struct s && s.members().stream()
                        .anyMatch(x -> x.name().equals(name)))
                .map(BtfType.Struct.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no struct of bpf_attr has " + name));
    }

    private static BtfType.Struct namedMember(Btf btf, BtfType.Union attr, String name) {
        Member member = attr.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        return (BtfType.Struct) btf.type(btf.resolve(member.type()));
    }

    /** The anonymous struct of {@code union bpf_attr} whose first member is {@code first}. */
    private static void assertSameAsKernel(Btf btf, BtfType.Union attr, String first, Map<String, Long> expected) {
        BtfType.Struct struct = attr.members().stream()
                .map(m -> btf.type(btf.resolve(m.type())))
                .filter(t -> t instanceof BtfType.Struct s && !s.members().isEmpty()
                        && s.members().getFirst().name().equals(first))
                .map(BtfType.Struct.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no struct of bpf_attr starts with " + first));
        assertFields(btf, struct, expected);
    }

    private static void assertFields(Btf btf, BtfType.Struct struct, Map<String, Long> expected) {
        expected.forEach((field, offset) -> {
            // next_key shares value's place in a union; the kernel's BTF names that anonymous union's members.
            Member member = struct.members().stream().filter(m -> m.name().equals(field)).findFirst()
                    .or(() -> struct.members().stream().filter(m -> m.name().isEmpty())
                            .filter(m -> btf.type(btf.resolve(m.type())) instanceof BtfType.Union u
                                    && u.members().stream().anyMatch(x -> x.name().equals(field))).findFirst())
                    .orElseThrow(() -> new AssertionError("the kernel's bpf_attr has no field " + field));
            assertEquals(offset, member.bitOffset() / 8, field);
        });
    }

    private static void assertOffsets(Map<String, Long> expected, StructLayout layout, long size) {
        expected.forEach((field, offset) ->
                assertEquals(offset, layout.byteOffset(groupElement(field)), layout + " " + field));
        assertEquals(size, layout.byteSize(), "size of " + layout);
        assertEquals(expected.size(), layout.memberLayouts().stream().filter(m -> m.name().isPresent()).count(),
                "every named field is checked");
    }

    private static Map<String, Long> offsets(Object... pairs) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Integer) pairs[i + 1]).longValue());
        }
        return map;
    }
}
