package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Maps and helper calls: map handles and direct value pointers from lddw, lookups and their null checks, value
 * bounds, read-only maps, and helper arguments checked against the prototypes. Messages are the Linux 6.18
 * verifier's (the same rules reach them in {@code ../shared/verifier-corpus}).
 */
class MapAndHelperTest {
    private static final MapSpec HASH = map("hash", MapType.HASH, 8, 48, 16, 0, false, new byte[0]);
    private static final MapSpec ARRAY = map("array", MapType.ARRAY, 4, 48, 2, 0, false, new byte[0]);
    private static final MapSpec RODATA = map(".rodata", MapType.ARRAY, 4, 8, 1,
            MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_MMAPABLE, true, new byte[] {42, 0, 0, 0, 0, 0, 0, 0});
    private static final MapSpec STACK_TRACE = map("stacks", MapType.STACK_TRACE, 4, 8, 4, 0, false, new byte[0]);
    private static final MapSpec QUEUE = map("queue", MapType.QUEUE, 0, 8, 4, 0, false, new byte[0]);
    private static final MapSpec FORMAT = map(".rodata.str", MapType.ARRAY, 4, 8, 1,
            MapFlags.BPF_F_RDONLY_PROG, true, "%d\0\0\0\0\0\0".getBytes());
    private static final MapSpec DATA = map(".data", MapType.ARRAY, 4, 8, 1, 0, false, new byte[0]);
    private static final MapSpec RING = map("ring", MapType.RINGBUF, 0, 0, 4096, 0, false, new byte[0]);
    private static final List<MapSpec> MAPS = List.of(HASH, ARRAY, RODATA, STACK_TRACE, QUEUE, FORMAT, DATA, RING);

    /** r6 = bpf_ringbuf_reserve(ring, 8, 0). */
    private static final String RESERVE = "r2 = 0x8\nr3 = 0x0\ncall 0x83\nr6 = r0\n";
    private static final VerifierOptions SOCKET_FILTER = VerifierOptions.socketFilter().withMaps(MAPS);

    /** r2 = fp - 8 with a zero key there. */
    private static final String KEY = "*(u64 *)(r10 - 0x8) = 0x0\nr2 = r10\nr2 += -0x8\n";

    private static MapSpec map(String name, MapType type, int key, int value, int entries, int flags, boolean frozen,
                               byte[] initial) {
        List<MapSpec.MapEntry> contents = initial.length == 0 ? List.of()
                : List.of(new MapSpec.MapEntry.Bytes(new byte[4], initial));
        return new MapSpec(name, type, key, value, entries, flags, MapPinning.NONE, 0, 0, Optional.empty(), contents,
                frozen, 0, 0, MapSpec.Origin.LEGACY);
    }

    /** {@code r<dst> = map #index} (src 1) or a pointer into its value at {@code offset} (src 2), then the text. */
    private static byte[] program(int dst, int index, boolean value, int offset, String text) {
        long imm = value ? (long) offset << 32 | index : index;
        byte[] prefix = new ProgramBuilder()
                .lddwPseudo(Register.of(dst), value ? Opcode.PSEUDO_MAP_VALUE : Opcode.PSEUDO_MAP_FD, imm)
                .build().encode();
        byte[] body = Assembler.assemble(text + "\nr0 = 0\nexit\n").encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] lookup(int index, String after) {
        return program(1, index, false, 0, KEY + "call 0x1\n" + after);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("lookup checked for NULL", lookup(0,
                        "if r0 == 0x0 goto +0x2\nr1 = *(u64 *)(r0 + 0x28)\n*(u32 *)(r0 + 0x0) = 0x1")),
                Arguments.of("a copy checked for NULL checks the original", lookup(0,
                        "r6 = r0\nif r6 != 0x0 goto +0x1\nexit\nr1 = *(u64 *)(r0 + 0x0)")),
                Arguments.of("array lookup with a constant key in range needs no check", program(1, 1, false, 0,
                        "*(u32 *)(r10 - 0x8) = 0x1\nr2 = r10\nr2 += -0x8\ncall 0x1\nr1 = *(u64 *)(r0 + 0x0)")),
                Arguments.of("bounded variable offset", lookup(0, "if r0 == 0x0 goto +0x5\n"
                        + "r1 = *(u64 *)(r0 + 0x0)\nr1 &= 0x1f\nr0 += r1\nr1 = *(u64 *)(r0 + 0x0)\nr0 = 0x0")),
                Arguments.of("frozen read-only value read as a constant", program(1, 2, true, 0,
                        "r2 = *(u64 *)(r1 + 0x0)\nif r2 == 0x2a goto +0x1\nr0 = *(u64 *)(r0 + 0x0)")),
                Arguments.of("update with key and value on the stack", program(1, 0, false, 0, KEY
                        + "*(u64 *)(r10 - 0x38) = 0x0\n*(u64 *)(r10 - 0x30) = 0x0\n*(u64 *)(r10 - 0x28) = 0x0\n"
                        + "*(u64 *)(r10 - 0x20) = 0x0\n*(u64 *)(r10 - 0x18) = 0x0\n*(u64 *)(r10 - 0x10) = 0x0\n"
                        + "r3 = r10\nr3 += -0x38\nr4 = 0x0\ncall 0x2")),
                Arguments.of("pop fills uninitialised stack", program(1, 4, false, 0,
                        "r2 = r10\nr2 += -0x8\ncall 0x58\nr0 = *(u64 *)(r10 - 0x8)")),
                Arguments.of("trace_printk of a stack buffer", program(1, 0, false, 0,
                        "*(u64 *)(r10 - 0x8) = 0x0\nr1 = r10\nr1 += -0x8\nr2 = 0x8\ncall 0x6")),
                Arguments.of("ring buffer record reserved, written, submitted", program(1, 7, false, 0, RESERVE
                        + "if r6 == 0x0 goto +0x4\n*(u64 *)(r6 + 0x0) = 0x1\nr1 = r6\nr2 = 0x0\ncall 0x84")),
                Arguments.of("ring buffer record discarded", program(1, 7, false, 0, RESERVE
                        + "if r6 == 0x0 goto +0x3\nr1 = r6\nr2 = 0x0\ncall 0x85")),
                Arguments.of("strncmp with a constant string", program(3, 5, true, 0,
                        "*(u64 *)(r10 - 0x8) = 0x0\nr1 = r10\nr1 += -0x8\nr2 = 0x8\ncall 0xb6")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, byte[] code) {
        Verdict verdict = Verifier.verify(code, SOCKET_FILTER);
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("lookup not checked", lookup(0, "r1 = *(u64 *)(r0 + 0x0)"),
                        "R0 invalid mem access 'map_value_or_null'"),
                Arguments.of("array key unknown", program(1, 1, false, 0,
                        "r2 = r10\nr2 += -0x8\ncall 0x1\nr1 = *(u64 *)(r0 + 0x0)"),
                        "R0 invalid mem access 'map_value_or_null'"),
                Arguments.of("array key out of range", program(1, 1, false, 0,
                        "*(u32 *)(r10 - 0x8) = 0x2\nr2 = r10\nr2 += -0x8\ncall 0x1\nr1 = *(u64 *)(r0 + 0x0)"),
                        "R0 invalid mem access 'map_value_or_null'"),
                Arguments.of("array key of another width", lookup(1, "r1 = *(u64 *)(r0 + 0x0)"),
                        "R0 invalid mem access 'map_value_or_null'"),
                Arguments.of("past the value", lookup(0, "if r0 == 0x0 goto +0x1\nr1 = *(u64 *)(r0 + 0x29)"),
                        "invalid access to map value, value_size=48 off=41 size=8\n"
                                + "R0 min value is outside of the allowed memory range"),
                Arguments.of("variable offset too large", lookup(0, "if r0 == 0x0 goto +0x4\n"
                        + "r1 = *(u64 *)(r0 + 0x0)\nr1 &= 0x3f\nr0 += r1\nr1 = *(u64 *)(r0 + 0x0)"),
                        "invalid access to map value, value_size=48 off=63 size=8\n"
                                + "R0 max value is outside of the allowed memory range"),
                Arguments.of("unbounded variable offset", lookup(0, "if r0 == 0x0 goto +0x2\n"
                        + "r1 = *(u64 *)(r0 + 0x0)\nr0 += r1"),
                        "math between map_value pointer and register with unbounded min value is not allowed"),
                Arguments.of("arithmetic before the check", lookup(0, "r0 += 0x8"),
                        "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first"),
                Arguments.of("write into a read-only map", program(1, 2, true, 0, "*(u64 *)(r1 + 0x0) = 0x1"),
                        "write into map forbidden, value_size=8 off=0 size=8"),
                Arguments.of("update of a read-only map", program(1, 2, false, 0, "*(u32 *)(r10 - 0x4) = 0x0\n"
                        + "r2 = r10\nr2 += -0x4\nr3 = r10\nr3 += -0x10\nr4 = 0x0\ncall 0x2"),
                        "write into map forbidden"),
                Arguments.of("lookup in a stack trace map", lookup(3, ""),
                        "cannot pass map_type 7 into func bpf_map_lookup_elem#1"),
                Arguments.of("key not a pointer", program(1, 0, false, 0, "r2 = 0x0\ncall 0x1"),
                        "R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, "
                                + "trusted_ptr_"),
                Arguments.of("key past the stack", program(1, 0, false, 0, "r2 = r10\nr2 += -0x4\ncall 0x1"),
                        "invalid read from stack R2 off=-4 size=8"),
                Arguments.of("map argument not a map", program(1, 0, false, 0, "r1 = r10\nr2 = r10\ncall 0x1"),
                        "R1 type=fp expected=map_ptr"),
                Arguments.of("arguments do not survive a call", lookup(0, "r0 = r1"), "R1 !read_ok"),
                Arguments.of("helper of another program type", program(1, 0, false, 0, "r1 = 0x0\ncall 0x2c"),
                        "program of this type cannot use helper bpf_xdp_adjust_head#44"),
                Arguments.of("size of zero", program(1, 0, false, 0, "r1 = r10\nr1 += -0x8\nr2 = 0x0\ncall 0x6"),
                        "R2 invalid zero-sized read: u64=[0,0]"),
                Arguments.of("string not in a read-only map", program(3, 6, true, 0,
                        "r1 = r10\nr1 += -0x8\nr2 = 0x8\ncall 0xb6"), "R3 does not point to a readonly map'"),
                Arguments.of("ring buffer record leaked", program(1, 7, false, 0, RESERVE
                        + "if r6 == 0x0 goto +0x1\n*(u64 *)(r6 + 0x0) = 0x1"),
                        "Unreleased reference id=2 alloc_insn=4\n"
                                + "BPF_EXIT instruction in main prog would lead to reference leak"),
                Arguments.of("ring buffer record not checked", program(1, 7, false, 0, RESERVE
                        + "*(u64 *)(r6 + 0x0) = 0x1"), "R6 invalid mem access 'ringbuf_mem_or_null'"),
                Arguments.of("ring buffer record past its size", program(1, 7, false, 0, RESERVE
                        + "if r6 == 0x0 goto +0x4\n*(u64 *)(r6 + 0x4) = 0x1\nr1 = r6\nr2 = 0x0\ncall 0x84"),
                        "invalid access to memory, mem_size=8 off=4 size=8\n"
                                + "R6 min value is outside of the allowed memory range"),
                Arguments.of("ring buffer record used after submit", program(1, 7, false, 0, RESERVE
                        + "if r6 == 0x0 goto +0x4\nr1 = r6\nr2 = 0x0\ncall 0x84\n*(u64 *)(r6 + 0x0) = 0x1"),
                        "R6 invalid mem access 'scalar'"),
                Arguments.of("ring buffer NULL submitted", program(1, 7, false, 0, RESERVE
                        + "r1 = r6\nr2 = 0x0\ncall 0x84"), "R1 type=ringbuf_mem_or_null expected=ringbuf_mem"),
                Arguments.of("tail call through a hash", program(2, 0, false, 0, "r3 = 0x0\ncall 0xc"),
                        "expected prog array map for tail call"),
                Arguments.of("bpf_get_func_ip outside kprobes", program(1, 0, false, 0, "r1 = 0x0\ncall 0xad"),
                        "program of this type cannot use helper bpf_get_func_ip#173"),
                Arguments.of("helper 0", program(1, 0, false, 0, "call 0x0"),
                        "program of this type cannot use helper bpf_unspec#0"),
                Arguments.of("helper past the last", program(1, 0, false, 0, "call 0xd4"), "invalid func unknown#212"),
                Arguments.of("unknown map index", program(1, 9, false, 0, ""),
                        "fd 9 is not pointing to valid bpf_map"),
                Arguments.of("direct value past the value", program(1, 2, true, 8, ""),
                        "invalid access to map value pointer, value_size=8 off=8"),
                Arguments.of("direct value of a hash", program(1, 0, true, 0, ""),
                        "no direct value access support for this map type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejects(String name, byte[] code, String message) {
        Verdict verdict = Verifier.verify(code, SOCKET_FILTER);
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, verdict.log());
        assertEquals(message, rejected.message());
        assertEquals(Verdict.Cause.RULE, rejected.cause());
    }

    /** bpf_xdp_adjust_head may move the packet: every packet pointer is a mere number after it. */
    @org.junit.jupiter.api.Test
    void helpersThatMoveThePacketInvalidateItsPointers() {
        String source = "r6 = r1\nr2 = *(u32 *)(r6 + 0x0)\nr3 = *(u32 *)(r6 + 0x4)\nr4 = r2\nr4 += 0x8\n"
                + "if r4 > r3 goto +0x5\nr7 = r2\nr1 = r6\nr2 = 0x0\ncall 0x2c\nr0 = *(u8 *)(r7 + 0x0)\n"
                + "r0 = 0x0\nexit\n";
        Verdict verdict = Verifier.verify(Assembler.assemble(source),
                new VerifierOptions(ProgramType.XDP.value(), 0, 0, true));
        assertEquals("R7 invalid mem access 'scalar'", assertInstanceOf(Verdict.Rejected.class, verdict).message());
    }

    /** Device maps are read-only to programs whatever their flags say: the kernel sets BPF_F_RDONLY_PROG itself. */
    @org.junit.jupiter.api.Test
    void deviceMapValuesAreReadOnly() {
        MapSpec devices = map("devices", MapType.DEVMAP, 4, 4, 4, 0, false, new byte[0]);
        byte[] code = program(1, 0, false, 0, "*(u32 *)(r10 - 0x8) = 0x0\nr2 = r10\nr2 += -0x8\ncall 0x1\n"
                + "if r0 == 0x0 goto +0x1\n*(u32 *)(r0 + 0x0) = 0x1");
        Verdict verdict = Verifier.verify(code, new VerifierOptions(ProgramType.XDP.value(), 0, 0, true, "GPL",
                List.of(devices)));
        assertEquals("write into map forbidden, value_size=4 off=0 size=4",
                assertInstanceOf(Verdict.Rejected.class, verdict).message());
    }

    /** Tracepoints get a prototype for bpf_get_func_ip, then check_get_func_ip refuses it. */
    @org.junit.jupiter.api.Test
    void getFuncIpIsForKprobesOnly() {
        byte[] code = Assembler.assemble("call 0xad\nr0 = 0x0\nexit\n").encode();
        Verdict tracepoint = Verifier.verify(code, new VerifierOptions(ProgramType.TRACEPOINT.value(), 0, 0, true));
        assertEquals("func bpf_get_func_ip#173 not supported for program type 5",
                assertInstanceOf(Verdict.Rejected.class, tracepoint).message());
        Verdict kprobe = Verifier.verify(code, new VerifierOptions(ProgramType.KPROBE.value(), 0, 0, true));
        assertInstanceOf(Verdict.Accepted.class, kprobe, kprobe.log());
    }

    @org.junit.jupiter.api.Test
    void gplOnlyHelpersNeedAGplLicense() {
        byte[] code = program(1, 0, false, 0, "r1 = r10\nr1 += -0x8\nr2 = 0x8\ncall 0x6");
        Verdict verdict = Verifier.verify(code, SOCKET_FILTER.withLicense("Proprietary"));
        assertEquals("cannot call GPL-restricted function from non-GPL compatible program",
                assertInstanceOf(Verdict.Rejected.class, verdict).message());
        Verdict dual = Verifier.verify(code, new VerifierOptions(ProgramType.SOCKET_FILTER.value(), 0, 0, true,
                "Dual MIT/GPL", MAPS));
        assertInstanceOf(Verdict.Accepted.class, dual, dual.log());
    }
}
