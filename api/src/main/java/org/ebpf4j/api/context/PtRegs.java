package org.ebpf4j.api.context;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpf4j.spec.ProgramType;

/**
 * x86-64 {@code struct pt_regs} (the kernel's member names), the context of kprobe and uprobe programs. The kernel
 * cannot test-run kprobes; the JVM runs them on these registers.
 */
public record PtRegs(long r15, long r14, long r13, long r12, long bp, long bx, long r11, long r10, long r9, long r8,
                     long ax, long cx, long dx, long si, long di, long origAx, long ip, long cs, long flags, long sp,
                     long ss) implements ProgramContext {

    /** All registers zero. */
    public static PtRegs zero() {
        return new PtRegs(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The registers of a call with up to six integer arguments (the x86-64 calling convention that
     * {@code PT_REGS_PARM1}..{@code PT_REGS_PARM6} read: di, si, dx, cx, r8, r9), the rest zero.
     */
    public static PtRegs ofArguments(long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("x86-64 passes 6 integer arguments in registers, not " + args.length);
        }
        long[] a = java.util.Arrays.copyOf(args, 6);
        return new PtRegs(0, 0, 0, 0, 0, 0, 0, 0, a[5], a[4], 0, a[3], a[2], a[1], a[0], 0, 0, 0, 0, 0, 0);
    }

    /** The same registers with {@code ip} (the probed address, which bpf programs read as PT_REGS_IP). */
    public PtRegs withIp(long newIp) {
        return new PtRegs(r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, origAx, newIp, cs, flags,
                sp, ss);
    }

    /** The same registers with {@code ax} (a kretprobe's return value, PT_REGS_RC). */
    public PtRegs withAx(long newAx) {
        return new PtRegs(r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, newAx, cx, dx, si, di, origAx, ip, cs, flags,
                sp, ss);
    }

    @Override
    public ProgramType programType() {
        return ProgramType.KPROBE;
    }

    @Override
    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(org.ebpf4j.spec.context.PtRegs.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : new long[] {r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, origAx, ip, cs,
                flags, sp, ss}) {
            b.putLong(v);
        }
        return b.array();
    }
}
