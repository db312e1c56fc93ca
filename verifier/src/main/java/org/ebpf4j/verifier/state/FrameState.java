package org.ebpf4j.verifier.state;

import java.util.Arrays;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;

/**
 * One call frame of the abstract state (the kernel's {@code struct bpf_func_state}): registers r0-r10 and the
 * frame's 512 bytes of stack as 64 slots ({@code slot 0} holds fp-8 to fp-1), the call instruction that created it
 * ({@code callsite}, -1 for the outermost frame) and the subprogram it runs. Mutable: the walk edits the state of
 * the path it follows and copies it where paths fork.
 */
public final class FrameState {
    public static final int SLOTS = Limits.MAX_BPF_STACK / Limits.REG_SIZE;

    private final int frameNo;
    private final int callsite;
    private final int subprog;
    /** Set for a callback's frame (the kernel's in_callback_fn): its return range. */
    private final CallbackReturn callback;
    private final RegisterType[] regs;
    private final StackSlot[] stack;
    /** The kernel's allocated_stack: the deepest byte any access of this frame reached, for the stack depth. */
    private int allocatedStack;
    /** The kernel's callback_depth: bpf_loop callbacks entered from this frame's current call (not compared). */
    private int callbackDepth;

    /**
     * The return range of a callback's frame (callback_ret_range): the value its exit must hold, in 64 bits.
     *
     * @param min the smallest value, signed
     * @param max the largest value, signed
     */
    public record CallbackReturn(long min, long max) {}

    private FrameState(int frameNo, int callsite, int subprog, CallbackReturn callback, RegisterType[] regs,
                       StackSlot[] stack, int allocatedStack) {
        this.frameNo = frameNo;
        this.callsite = callsite;
        this.subprog = subprog;
        this.callback = callback;
        this.regs = regs;
        this.stack = stack;
        this.allocatedStack = allocatedStack;
    }

    /** The outermost frame at entry: every register NOT_INIT but the frame pointer, the stack unwritten. */
    public static FrameState entry(int frameNo) {
        return called(frameNo, -1, 0, null);
    }

    /**
     * A frame a call creates (init_func_state): every register NOT_INIT but the frame pointer, the stack
     * unwritten; {@code callback} is null for a plain bpf-to-bpf call.
     */
    public static FrameState called(int frameNo, int callsite, int subprog, CallbackReturn callback) {
        RegisterType[] regs = new RegisterType[Register.COUNT];
        Arrays.fill(regs, RegisterType.NotInit.INSTANCE);
        regs[Register.FP.number()] = RegisterType.PtrToStack.framePointer(frameNo);
        StackSlot[] stack = new StackSlot[SLOTS];
        Arrays.fill(stack, StackSlot.EMPTY);
        return new FrameState(frameNo, callsite, subprog, callback, regs, stack, 0);
    }

    public FrameState copy() {
        FrameState copy = new FrameState(frameNo, callsite, subprog, callback, regs.clone(), stack.clone(),
                allocatedStack);
        copy.callbackDepth = callbackDepth;
        return copy;
    }

    public int frameNo() {
        return frameNo;
    }

    /** The call instruction that created this frame, -1 for the outermost one. */
    public int callsite() {
        return callsite;
    }

    /** The subprogram this frame runs (0 for the main program). */
    public int subprog() {
        return subprog;
    }

    /** The callback's return range, or null when this frame is not a callback's. */
    public CallbackReturn callback() {
        return callback;
    }

    /** Bytes of this frame's stack that accesses have reached so far (a multiple of 8). */
    public int allocatedStack() {
        return allocatedStack;
    }

    public int callbackDepth() {
        return callbackDepth;
    }

    public void setCallbackDepth(int depth) {
        callbackDepth = depth;
    }

    /** grow_stack_state: an access reached {@code bytes} below the frame pointer. */
    public void growStack(int bytes) {
        int rounded = (bytes + Limits.REG_SIZE - 1) / Limits.REG_SIZE * Limits.REG_SIZE;
        allocatedStack = Math.max(allocatedStack, rounded);
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
        return o instanceof FrameState other && frameNo == other.frameNo && callsite == other.callsite
                && java.util.Objects.equals(callback, other.callback) && Arrays.equals(regs, other.regs)
                && Arrays.equals(stack, other.stack);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(regs) * 31 + Arrays.hashCode(stack)) * 31 + callsite;
    }
}
