package org.ebpf4j.isa.text;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** {name, built with ProgramBuilder, expected llvm-objdump text, expected lossless text}. */
class TextFormsTableTest {
    static Stream<Arguments> forms() {
        return Stream.of(
                form("add imm", b -> b.alu64(AluOp.ADD, R1, -1), "r1 += -0x1"),
                form("alu32 reg", b -> b.alu32(AluOp.XOR, R2, R3), "w2 ^= w3"),
                form("arsh", b -> b.alu64(AluOp.ARSH, R4, 3), "r4 s>>= 0x3"),
                form("sdiv", b -> b.signed64(AluOp.DIV, R1, R2), "r1 s/= r2"),
                form("smod32", b -> b.signed32(AluOp.MOD, R1, 7), "w1 s%= 0x7"),
                form("movsx", b -> b.movsx64(R1, R2, 8), "r1 = (s8)r2"),
                form("movsx32", b -> b.movsx32(R1, R2, 16), "w1 = (s16)w2"),
                form("neg", b -> b.neg64(R1), "r1 = -r1"),
                form("be16", b -> b.toBigEndian(R1, 16), "r1 = be16 r1"),
                form("le64", b -> b.toLittleEndian(R3, 64), "r3 = le64 r3"),
                form("bswap32", b -> b.byteSwap(R1, 32), "r1 = bswap32 r1"),
                form("lddw", b -> b.lddw(R1, 0x1122334455667788L), "r1 = 0x1122334455667788 ll"),
                form("lddw map fd", b -> b.lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 3), "ld_pseudo\tr1, 0x1, 0x3"),
                form("lddw map value", b -> b.lddwPseudo(R1, Opcode.PSEUDO_MAP_VALUE, 0x10_0000_0005L),
                        "ld_pseudo\tr1, 0x2, 0x5", "ld_pseudo\tr1, 0x2, 0x5, 0x10"),
                form("ldx", b -> b.ldx(Size.W, R0, R1, 4), "r0 = *(u32 *)(r1 + 0x4)"),
                form("ldsx", b -> b.ldxsx(Size.W, R1, R2, 4), "r1 = *(s32 *)(r2 + 0x4)"),
                form("st", b -> b.st(Size.H, R10, -2, -5), "*(u16 *)(r10 - 0x2) = -0x5"),
                form("stx", b -> b.stx(Size.DW, R10, -8, R1), "*(u64 *)(r10 - 0x8) = r1"),
                form("lock add", b -> b.atomic(Size.DW, AtomicOp.ADD, false, R10, -8, R1), "lock *(u64 *)(r10 - 0x8) += r1"),
                form("fetch add", b -> b.atomic(Size.DW, AtomicOp.ADD, true, R1, 0, R0),
                        "r0 = atomic_fetch_add((u64 *)(r1 + 0x0), r0)"),
                form("xchg", b -> b.atomic(Size.DW, AtomicOp.XCHG, true, R1, 8, R2), "r2 = xchg_64(r1 + 0x8, r2)"),
                form("cmpxchg", b -> b.atomic(Size.DW, AtomicOp.CMPXCHG, true, R1, 8, R2), "r0 = cmpxchg_64(r1 + 0x8, r0, r2)"),
                form("lock or 32", b -> b.atomic(Size.W, AtomicOp.OR, false, R1, 0, R2),
                        "<unknown>", "lock *(u32 *)(r1 + 0x0) |= w2"),
                form("fetch and 32", b -> b.atomic(Size.W, AtomicOp.AND, true, R1, 0, R2),
                        "<unknown>", "w2 = atomic_fetch_and((u32 *)(r1 + 0x0), w2)"),
                form("ld abs", b -> b.ldAbs(Size.B, 0x17), "r0 = *(u8 *)skb[0x17]"),
                form("ld ind", b -> b.ldInd(Size.H, R3, 0), "r0 = *(u16 *)skb[r3]"),
                form("ld ind imm", b -> b.ldInd(Size.H, R3, 4), "r0 = *(u16 *)skb[r3]", "r0 = *(u16 *)skb[r3 + 0x4]"),
                form("helper call", b -> b.call(1), "call 0x1"),
                form("kfunc call", b -> b.callKfunc(77), "call 0x4d", "call kfunc 0x4d"),
                form("callx", b -> b.callx(R1), "callx r1"),
                form("exit", ProgramBuilder::exit, "exit"));
    }

    private static Arguments form(String name, UnaryOperator<ProgramBuilder> build, String llvm) {
        return form(name, build, llvm, llvm);
    }

    private static Arguments form(String name, UnaryOperator<ProgramBuilder> build, String llvm, String lossless) {
        return Arguments.of(name, build.apply(new ProgramBuilder()).build(), llvm, lossless);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void printsAndReadsBack(String name, Instructions built, String llvm, String lossless) {
        assertEquals(llvm, Disassembler.llvmObjdump().instruction(built.get(0), 0));
        assertEquals(lossless, Disassembler.lossless().instruction(built.get(0), 0));
        assertEquals(built, Assembler.assemble(lossless));
    }

    @Test
    void jumpsAndCallsResolveLabels() {
        Instructions built = new ProgramBuilder()
                .mov64(R0, 0).label("loop").alu64(AluOp.ADD, R0, 1).jump32(JumpOp.JSLT, R0, 10, "loop")
                .callLocal("sub").gotol("out").label("sub").mov64(R0, 1).exit().label("out").exit().build();
        String source = """
                r0 = 0x0            # counter
                loop:
                  r0 += 0x1
                  if w0 s< 0xa goto loop   ; back edge
                  call sub
                  gotol out
                sub: r0 = 0x1
                  exit // from sub
                out:
                  exit
                """;
        assertEquals(built, Assembler.assemble(source));
        assertEquals("if w0 s< 0xa goto -0x2 <prog+0x8>",
                Disassembler.llvmObjdump().instruction(built.get(2), 2,
                        SymbolTable.of("xdp", java.util.List.of(new SymbolTable.Symbol("prog", 0)))));
        assertEquals("call -0x1", Disassembler.llvmObjdump().instruction(new ProgramBuilder().add(
                new org.ebpf4j.isa.Instruction(0x85, 0, 1, 0, -1)).build().get(0), 0));
        assertEquals(built, Assembler.assemble(Disassembler.lossless().disassemble(built)));
    }

    @Test
    void errorsNameLineAndColumn() {
        AssemblyException e = assertThrows(AssemblyException.class, () -> Assembler.assemble("exit\n\nr1 += *x\n"));
        assertEquals(3, e.line());
        assertEquals(7, e.column());
        assertTrue(e.getMessage().contains("r1 += *x"), e.getMessage());
        AssemblyException undefined = assertThrows(AssemblyException.class, () -> Assembler.assemble("goto nowhere\n"));
        assertEquals(1, undefined.line());
        assertTrue(undefined.getMessage().contains("undefined label 'nowhere'"), undefined.getMessage());
        assertThrows(AssemblyException.class, () -> Assembler.assemble("w1 = r2"));
        assertThrows(AssemblyException.class, () -> Assembler.assemble("<unknown>"));
    }
}
