package org.ebpf4j.spec.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.btf.Member;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every context field's offset and size, and each struct's size, as the running kernel's BTF states them. */
class ContextLayoutsAgainstVmlinuxTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static Btf btf;

    @BeforeAll
    static void parse() throws IOException {
        assumeTrue(Files.isReadable(VMLINUX), VMLINUX + " is absent or unreadable (kernel without CONFIG_DEBUG_INFO_BTF)");
        btf = Btf.parse(Files.readAllBytes(VMLINUX));
    }

    static Stream<ContextLayout> layouts() {
        Stream<ContextLayout> byType = Stream.of(ProgramType.XDP, ProgramType.SOCKET_FILTER, ProgramType.SCHED_CLS,
                ProgramType.SCHED_ACT, ProgramType.CGROUP_SKB, ProgramType.KPROBE, ProgramType.SK_SKB,
                ProgramType.LWT_IN, ProgramType.FLOW_DISSECTOR).map(t -> ProgramContexts.of(t).orElseThrow());
        return Stream.concat(byType, Stream.of(BpfSockAddr.LAYOUT, BpfSkLookup.LAYOUT, BpfSock.LAYOUT,
                BpfCgroupDevCtx.LAYOUT, BpfSysctl.LAYOUT, BpfSockopt.LAYOUT, BpfNfCtx.LAYOUT, BpfSockOps.LAYOUT,
                SkMsgMd.LAYOUT));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void layoutsMatchTheKernel(ContextLayout layout) {
        int struct = btf.typeId(layout.structName(), BtfKind.STRUCT).orElseThrow();
        assertEquals(btf.sizeOf(struct), layout.size(), "sizeof(struct " + layout.structName() + ")");
        for (ContextField field : layout.fields()) {
            if (field.name().startsWith(ContextLayout.PADDING_PREFIX)
                    || field.name().startsWith(ContextLayout.REST_PREFIX)) {
                continue;
            }
            Member member = btf.member(struct, field.name()).orElseThrow(
                    () -> new AssertionError("vmlinux's " + layout.structName() + " has no " + field.name()));
            assertEquals(member.bitOffset(), field.offset() * 8L, layout.structName() + "." + field.name());
            if (layout == PtRegs.LAYOUT && (field.name().equals("cs") || field.name().equals("ss"))) {
                // Since FRED, cs and ss are u16 members of 8-byte unions (csx, ssx); the slot is what programs read.
                assertTrue(btf.sizeOf(member.type()) <= field.size(), "sizeof " + field.name());
                continue;
            }
            assertEquals(btf.sizeOf(member.type()), field.size(), "sizeof " + field.name());
        }
    }

    @Test
    void perfEventDataIsTheKernels() {
        int struct = btf.typeId(PerfEventData.LAYOUT.structName(), BtfKind.STRUCT).orElseThrow();
        assertEquals(btf.sizeOf(struct), PerfEventData.SIZE);
        Member regs = btf.member(struct, "regs").orElseThrow();
        assertEquals(0, regs.bitOffset());
        assertEquals(PtRegs.SIZE, btf.sizeOf(regs.type()));
        for (ContextField counter : java.util.List.of(PerfEventData.SAMPLE_PERIOD, PerfEventData.ADDR)) {
            Member member = btf.member(struct, counter.name()).orElseThrow();
            assertEquals(counter.offset() * 8L, member.bitOffset(), counter.name());
        }
        int args = btf.typeId("bpf_raw_tracepoint_args", BtfKind.STRUCT).orElseThrow();
        assertEquals(0, btf.member(args, "args").orElseThrow().bitOffset());
    }

    @Test
    void theRewrittenFieldsArePacketPointers() {
        assertTrue(XdpMd.DATA.access().packetPointer());
        assertTrue(SkBuff.TC.field("data_end").access().packetPointer());
        assertEquals(FieldAccess.NONE, SkBuff.SOCKET_FILTER.field("data").access());
        assertTrue(SkBuff.SOCKET_FILTER.field("cb").access().writable());
        assertTrue(!SkBuff.SOCKET_FILTER.field("mark").access().writable());
    }
}
