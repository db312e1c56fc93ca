package org.ebpf4j.verifier.state;

import java.util.Arrays;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;

/**
 * One call frame of the abstract state (the kernel's {@code struct bpf_func_state}): registers r0-r10 and the
 * frame's 512 bytes of stack as 64 slots ({@code slot 0} holds fp-8 to fp-1). Mutable: the walk edits the state of
 * the path it follows and copies it where paths fork.
 */
public final class FrameState {
    public static final int SLOTS = Limits.MAX_BPF_STACK / Limits.REG_SIZE;

    private final int frameNo;
    private final RegisterType[] regs;
    private final StackSlot[] stack;

    private FrameState(int frameNo, RegisterType[] regs, StackSlot[] stack) {
        this.frameNo = frameNo;
        this.regs = regs;
        this.stack = stack;
    }

    /** A frame at entry: every register NOT_INIT but the frame pointer, the stack unwritten. */
    public static FrameState entry(int frameNo) {
        RegisterType[] regs = new RegisterType[Register.COUNT];
        Arrays.fill(regs, RegisterType.NotInit.INSTANCE);
        regs[Register.FP.number()] = RegisterType.PtrToStack.framePointer(frameNo);
        StackSlot[] stack = new StackSlot[SLOTS];
        Arrays.fill(stack, StackSlot.EMPTY);
        return new FrameState(frameNo, regs, stack);
    }

    public FrameState copy() {
        return new FrameState(frameNo, regs.clone(), stack.clone());
    }

    public int frameNo() {
        return frameNo;
    }

    public RegisterType reg(int r) {
        return regs[r];
    }

    public void setReg(int r, RegisterType type) {
        regs[r] = type;
    }

    /** The registers, as a copy (for logs). */
    public RegisterType[] regs() {
        return regs.clone();
    }

    /** The slot holding the byte at {@code off} (negative, from the frame pointer). */
    public static int slotIndex(int off) {
        return (-off - 1) / Limits.REG_SIZE;
    }

    public StackSlot slot(int index) {
        return stack[index];
    }

    public void setSlot(int index, StackSlot slot) {
        stack[index] = slot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameState other && frameNo == other.frameNo && Arrays.equals(regs, other.regs)
                && Arrays.equals(stack, other.stack);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(regs) * 31 + Arrays.hashCode(stack);
    }
}
