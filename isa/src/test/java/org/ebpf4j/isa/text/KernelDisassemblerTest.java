package org.ebpf4j.isa.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Stream;
import org.ebpf4j.isa.Instruction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel's instruction text, form by form. {@link #kernelLogLines} are lines of Linux 6.18 verifier logs in the
 * shared corpus (its case named beside each), with the instruction decoded from that case's program;
 * {@link #formsTheCorpusLacks} are forms no corpus log holds, as the running 6.18 kernel logged them for a socket
 * filter written to hold them all (loaded with bpf() at log level 2); {@link #formsNoAcceptedProgramShows} follow
 * print_bpf_insn's formats for encodings the kernel prints before it rejects them, or names from its own BTF.
 */
class KernelDisassemblerTest {
    private static final Map<Integer, String> HELPERS =
            Map.of(0, "bpf_unspec", 1, "bpf_map_lookup_elem", 17, "bpf_get_cgroup_classid", 118, "bpf_jiffies64");
    private static final KernelDisassembler KERNEL = new KernelDisassembler(HELPERS::get);

    private static Arguments line(String text, int opcode, int dst, int src, int offset, long imm) {
        return Arguments.of(text, new Instruction(opcode, dst, src, offset, imm));
    }

    static Stream<Arguments> kernelLogLines() {
        return Stream.of(
                line("(7a) *(u64 *)(r10 -8) = 3", 0x7a, 10, 0, -8, 3), // test_verifier/0007
                line("(b7) r0 = 3", 0xb7, 0, 0, 0, 3),
                line("(db) r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r2)", 0xdb, 10, 2, -8, 0xf1),
                line("(bf) r0 = r10", 0xbf, 0, 10, 0, 0), // 0012
                line("(7b) *(u64 *)(r10 -8) = r0", 0x7b, 10, 0, -8, 0),
                line("(c3) r0 = atomic_cmpxchg((u32 *)(r10 -8), r0, r5)", 0xc3, 10, 5, -8, 0xf1),
                line("(bc) w0 = w10", 0xbc, 0, 10, 0, 0), // 0014
                line("(63) *(u32 *)(r10 -8) = r0", 0x63, 10, 0, -8, 0),
                line("(61) r1 = *(u32 *)(r0 -8)", 0x61, 1, 0, -8, 0),
                line("(18) r1 = 0xffffffffffffffff", 0x18, 1, 0, 0, -1), // 0017
                line("(07) r2 += -8", 0x07, 2, 0, 0, -8),
                line("(7b) *(u64 *)(r2 +0) = r9", 0x7b, 2, 9, 0, 0),
                line("(c3) r1 = atomic_fetch_and((u32 *)(r2 +0), r1)", 0xc3, 2, 1, 0, 0x51),
                line("(db) r10 = atomic64_fetch_add((u64 *)(r10 -8), r10)", 0xdb, 10, 10, -8, 0x01), // 0051
                line("(db) lock *(u64 *)(r1 -8) += r0", 0xdb, 1, 0, -8, 0x00), // 0055
                line("(db) lock *(u64 *)(r1 -8) &= r0", 0xdb, 1, 0, -8, 0x50), // 0059
                line("(db) r0 = atomic64_fetch_and((u64 *)(r1 -8), r0)", 0xdb, 1, 0, -8, 0x51), // 0060
                line("(db) lock *(u64 *)(r1 -8) |= r0", 0xdb, 1, 0, -8, 0x40), // 0061
                line("(db) r0 = atomic64_fetch_or((u64 *)(r1 -8), r0)", 0xdb, 1, 0, -8, 0x41), // 0062
                line("(db) lock *(u64 *)(r1 -8) ^= r0", 0xdb, 1, 0, -8, 0xa0), // 0063
                line("(db) r0 = atomic64_fetch_xor((u64 *)(r1 -8), r0)", 0xdb, 1, 0, -8, 0xa1), // 0064
                line("(db) r0 = atomic64_xchg((u64 *)(r1 -8), r0)", 0xdb, 1, 0, -8, 0xe1), // 0065
                line("(95) exit", 0x95, 0, 0, 0, 0), // 0077
                line("(85) call bpf_unspec#0", 0x85, 0, 0, 0, 0), // 0080
                line("(85) call unknown#1234567", 0x85, 0, 0, 0, 1234567), // 0081
                line("(85) call bpf_get_cgroup_classid#17", 0x85, 0, 0, 0, 17), // 0082
                line("(73) *(u8 *)(r10 -1) = r15", 0x73, 10, 15, -1, 0), // 0101
                line("(72) *(u8 *)(r14 -1) = -1", 0x72, 14, 0, -1, -1), // 0103
                line("(71) r0 = *(u8 *)(r12 +0)", 0x71, 0, 12, 0, 0), // 0104
                line("(85) call bpf_jiffies64#118", 0x85, 0, 0, 0, 118), // 0106
                line("(15) if r0 == 0x309 goto pc+2", 0x15, 0, 0, 2, 0x309),
                line("(05) goto pc+1", 0x05, 0, 0, 1, 0),
                line("(18) r2 = 0x6", 0x18, 2, 0, 0, 6),
                line("(55) if r6 != 0x0 goto pc+9", 0x55, 6, 0, 9, 0), // 0107
                line("(62) *(u32 *)(r10 -12) = 119", 0x62, 10, 0, -12, 119), // 0110
                line("(79) r0 = *(u64 *)(r10 -8)", 0x79, 0, 10, -8, 0), // 0115
                line("(c5) if r0 s< 0x0 goto pc+2", 0xc5, 0, 0, 2, 0),
                line("(85) call #0", 0x85, 0, 2, 0, 0), // 0118: a kfunc whose BTF id is void's
                line("(85) call pc+8", 0x85, 0, 1, 0, 8), // 0134
                line("(61) r0 = *(u32 *)(r1 +76)", 0x61, 0, 1, 76, 0),
                line("(b4) w0 = 42", 0xb4, 0, 0, 0, 42),
                line("(2d) if r2 > r1 goto pc+1", 0x2d, 2, 1, 1, 0),
                line("(85) call bpf_map_lookup_elem#1", 0x85, 0, 0, 0, 1), // 0135
                line("(85) call pc-1", 0x85, 0, 1, 0, -1), // 0140
                line("(15) if r0 == 0x0 goto pc-3", 0x15, 0, 0, -3, 0), // 0146
                line("(bd) if r0 <= r3 goto pc+1", 0xbd, 0, 3, 1, 0), // 0204
                line("(69) r0 = *(u16 *)(r1 +0)", 0x69, 0, 1, 0, 0), // 0222
                line("(b7) r0 = -889304559", 0xb7, 0, 0, 0, -889304559), // 0227
                line("(6b) *(u16 *)(r1 +0) = r0", 0x6b, 1, 0, 0, 0), // 0229
                line("(35) if r1 >= 0x0 goto pc+9", 0x35, 1, 0, 9, 0), // 0234
                line("(05) goto pc-12", 0x05, 0, 0, -12, 0), // 0235
                line("(6a) *(u16 *)(r2 +0) = 65535", 0x6a, 2, 0, 0, 65535), // 0340
                line("(45) if r0 & 0x1 goto pc+1", 0x45, 0, 0, 1, 1), // 0415
                line("(7f) r15 >>= r15", 0x7f, 15, 15, 0, 0), // 0436
                line("(20) r0 = *(u32 *)skb[-2097152]", 0x20, 0, 0, 0, -2097152), // 0437
                line("(97) r6 %= 1025", 0x97, 6, 0, 0, 1025), // 0500
                line("(77) r6 >>= 10", 0x77, 6, 0, 0, 10),
                line("(27) r6 *= 8192", 0x27, 6, 0, 0, 8192),
                line("(0f) r0 += r6", 0x0f, 0, 6, 0, 0));
    }

    static Stream<Arguments> formsTheCorpusLacks() {
        return Stream.of(
                line("(dc) r1 = be16 r1", 0xdc, 1, 0, 0, 16),
                line("(d4) r1 = le64 r1", 0xd4, 1, 0, 0, 64),
                line("(d7) r1 = bswap32 r1", 0xd7, 1, 0, 0, 32),
                line("(87) r1 = -r1", 0x87, 1, 0, 0, 0),
                line("(84) w1 = -w1", 0x84, 1, 0, 0, 0),
                line("(bf) r2 = (s8)r1", 0xbf, 2, 1, 8, 0),
                line("(bc) w2 = (s16)w1", 0xbc, 2, 1, 16, 0),
                line("(bf) r2 = (s32)r1", 0xbf, 2, 1, 32, 0),
                line("(3f) r2 s/= r1", 0x3f, 2, 1, 1, 0),
                line("(94) w2 s%= -3", 0x94, 2, 0, 1, -3),
                line("(c7) r2 s>>= 3", 0xc7, 2, 0, 0, 3),
                line("(e5) may_goto pc+0", 0xe5, 0, 0, 0, 0),
                line("(06) gotol pc+0", 0x06, 0, 0, 0, 0),
                line("(1e) if w1 == w2 goto pc+0", 0x1e, 1, 2, 0, 0),
                line("(a6) if w1 < 0xffffffff goto pc+0", 0xa6, 1, 0, 0, -1),
                line("(d3) r3 = load_acquire((u8 *)(r10 -8))", 0xd3, 3, 10, -8, 0x100),
                line("(db) store_release((u64 *)(r10 -8), r2)", 0xdb, 10, 2, -8, 0x110),
                line("(91) r3 = *(s8 *)(r10 -8)", 0x91, 3, 10, -8, 0),
                line("(81) r3 = *(s32 *)(r10 -8)", 0x81, 3, 10, -8, 0),
                line("(50) r0 = *(u8 *)skb[r3 + 2]", 0x50, 0, 3, 0, 2));
    }

    static Stream<Arguments> formsNoAcceptedProgramShows() {
        return Stream.of(
                line("(bf) r1 = addr_space_cast(r2, 0, 1)", 0xbf, 1, 2, 1, 1),
                line("(85) call kernel-function#100", 0x85, 0, 2, 0, 100),
                line("(18) r1 = 0x100000002", 0x18, 1, 2, 0, 0x1_0000_0002L),
                line("(c3) BUG_c3", 0xc3, 1, 2, 0, 0x02),
                line("(e7) r0 (null) 0", 0xe7, 0, 0, 0, 0),
                line("(96) if w0 exit 0x0 goto pc+0", 0x96, 0, 0, 0, 0),
                line("(f5) if r1 (null) 0x2 goto pc+3", 0xf5, 1, 0, 3, 2),
                line("(e0) BUG_ld_e0", 0xe0, 0, 0, 0, 0));
    }

    @ParameterizedTest
    @MethodSource({"kernelLogLines", "formsTheCorpusLacks", "formsNoAcceptedProgramShows"})
    void printsAsTheKernel(String expected, Instruction insn) {
        assertEquals(expected, KERNEL.instruction(insn));
    }
}
