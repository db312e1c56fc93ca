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
 * newer than that header and was read from the 6.18 kernel's BTF. Where {@code /sys/kernel/btf/vmlinux} is readable,
 * every field is also checked against the running kernel's own {@code union bpf_attr}.
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
        assertFields(btf, (BtfType.Struct) btf.type(btf.typeId("perf_event_mmap_page", BtfKind.STRUCT)
                .orElseThrow()), offsets("data_head", (int) LinuxPerfBuffer.DATA_HEAD,
                "data_tail", (int) LinuxPerfBuffer.DATA_TAIL));
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
