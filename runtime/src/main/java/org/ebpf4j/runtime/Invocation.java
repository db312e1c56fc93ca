package org.ebpf4j.runtime;

import java.util.Arrays;
import org.ebpf4j.runtime.helpers.CallStacks;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;

/**
 * The private state of one program invocation: the stack frames of bpf-to-bpf calls and the address space. One thread uses an invocation at a time; reusing it across runs (after {@link #reset}) saves
 * the allocations, and separate threads use separate invocations, so programs never share a stack.
 *
 * <p>Region ids 1-8 are the stack frames (frame {@code d} has id {@code d + 1}); inputs mapped with
 * {@link #map} get the ids after them.
 */
public final class Invocation implements HelperContext {
    /** Bytes of stack per frame (MAX_BPF_STACK). */
    public static final int STACK_SIZE = 512;
    /** Frames of bpf-to-bpf calls, the main program included (MAX_CALL_FRAMES). */
    public static final int MAX_FRAMES = 8;

    static final int FIRST_FRAME_ID = 1;
    private static final int FIRST_INPUT_ID = FIRST_FRAME_ID + MAX_FRAMES;

    private final AddressSpace memory = new AddressSpace();
    private final byte[] stack = new byte[MAX_FRAMES * STACK_SIZE];
    /** Deepest frame used since the last reset: only those frames need zeroing. */
    int deepestFrame;
    /** Where the bytes of frame 0 that a run may write start in {@link #stack}: the rest of it stays zero. */
    private final int firstWritable;
    /** The first region id past the inputs that {@link #repeat} keeps mapped. */
    private int inputsEnd = FIRST_INPUT_ID;
    private long packet;
    private int cpu;
    private int tailCalls;
    private Executable pendingTailCall;
    private long tailCallContext;
    private CallStacks callStacks = CallStacks.javaCaller();
    private long attachCookie;
    private long functionAddress;
    private TailCalls.RunState keptState;
    private long[] spareRegisters;
    private byte[] scratch = new byte[0];

    /** An invocation for any program: every run may write all of its frames. */
    public Invocation() {
        this(STACK_SIZE);
    }

    /**
     * An invocation whose runs write at most the top {@code firstFrameBytes} bytes of frame 0 (what the verifier
     * proved of the program's main function, with no tail call to bring another program into the frame), so that
     * {@link #reset} clears only those there. Deeper frames are cleared whole once a run has used them.
     */
    public Invocation(int firstFrameBytes) {
        if (firstFrameBytes < 0 || firstFrameBytes > STACK_SIZE) {
            throw new IllegalArgumentException(firstFrameBytes + " bytes of a " + STACK_SIZE + "-byte frame");
        }
        firstWritable = STACK_SIZE - firstFrameBytes;
        for (int frame = 0; frame < MAX_FRAMES; frame++) {
            memory.mapAt(FIRST_FRAME_ID + frame,
                    new Region("stack frame " + frame, stack, frame * STACK_SIZE, STACK_SIZE, true));
        }
    }

    @Override
    public AddressSpace memory() {
        return memory;
    }

    /** Maps an input (context, packet, buffer) for the next run and returns a pointer to it. */
    public long map(Region region) {
        return memory.map(region);
    }

    /** Pointer to the packet that legacy LD_ABS/LD_IND instructions read, or 0. */
    public long packet() {
        return packet;
    }

    /** Sets the packet of legacy LD_ABS/LD_IND loads: a pointer returned by {@link #map}. */
    public void setPacket(long packet) {
        this.packet = packet;
    }

    @Override
    public int cpu() {
        return cpu;
    }

    /**
     * Chooses the "CPU" of the next runs: the slot the program uses in per-CPU maps. The caller decides (one slot
     * per thread, say); two invocations running at once on the same slot share its per-CPU values, which the
     * kernel never allows, so atomics there are still atomic but plain read-modify-writes may race.
     */
    public void setCpu(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("negative cpu " + cpu);
        }
        this.cpu = cpu;
    }

    @Override
    public CallStacks callStacks() {
        return callStacks;
    }

    /** Sets the stacks the next runs see (an attach point's frames); the default has no kernel stack. */
    public void setCallStacks(CallStacks stacks) {
        this.callStacks = java.util.Objects.requireNonNull(stacks);
    }

    /**
     * What {@code bpf_get_attach_cookie} and {@code bpf_get_func_ip} return in the next runs: set by whatever attached
     * the program (the attachment's cookie, the hooked function's address); 0 for both until then.
     */
    public void setAttachment(long cookie, long functionAddress) {
        this.attachCookie = cookie;
        this.functionAddress = functionAddress;
    }

    @Override
    public long attachCookie() {
        return attachCookie;
    }

    @Override
    public long functionAddress() {
        return functionAddress;
    }

    /** The frame pointer (r10) of a call depth: the top of its 512-byte frame. */
    public static long framePointer(int depth) {
        return Pointer.of(FIRST_FRAME_ID + depth, STACK_SIZE);
    }

    /**
     * Where {@code size} bytes at {@code address} lie in the array behind every stack frame when they lie within one
     * frame, else -1: frame {@code d} is region {@code d + 1}, bytes {@code d * STACK_SIZE} to
     * {@code (d + 1) * STACK_SIZE} of that array, mapped for the invocation's whole life, so this is exactly the
     * region table's own check for those ids, without the table.
     */
    public static int stackIndex(long address, int size) {
        int frame = Pointer.regionId(address) - FIRST_FRAME_ID;
        int offset = Pointer.offset(address);
        if (Integer.compareUnsigned(frame, MAX_FRAMES) < 0 && Integer.compareUnsigned(offset, STACK_SIZE - size) <= 0) {
            return frame * STACK_SIZE + offset;
        }
        return -1;
    }

    /** Records that a call reached this depth, so that {@link #reset} clears its frame. */
    public void noteFrame(int depth) {
        deepestFrame = Math.max(deepestFrame, depth);
    }

    /**
     * What the engine kept of its last run on this invocation for the next one (a compiled program's run state, which
     * the next run restarts instead of allocating its own), or null.
     */
    public TailCalls.RunState keptState() {
        return keptState;
    }

    public void keepState(TailCalls.RunState state) {
        keptState = state;
    }

    /**
     * The interpreter's register array for a frame's run, zeroed: the one the last finished run gave back, or a new
     * one when none is spare (the first run, or a callback's run nested in another). Give it back with
     * {@link #giveBackRegisters} when the frame's run ends, so that runs allocate none.
     */
    public long[] takeRegisters(int count) {
        long[] registers = spareRegisters;
        if (registers == null || registers.length != count) {
            return new long[count];
        }
        spareRegisters = null;
        Arrays.fill(registers, 0);
        return registers;
    }

    public void giveBackRegisters(long[] registers) {
        spareRegisters = registers;
    }

    @Override
    public byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, 64)];
        }
        return scratch;
    }

    /** Starts a run: no tail call made yet ({@link TailCalls}). */
    public void beginRun() {
        tailCalls = 0;
        pendingTailCall = null;
    }

    /** Whether one more tail call may succeed in this run (MAX_TAIL_CALL_CNT). */
    public boolean mayTailCall() {
        return tailCalls < TailCalls.MAX_TAIL_CALLS;
    }

    /** Records a taken tail call: the target runs once the current frame has returned ({@link TailCalls#finish}). */
    public void requestTailCall(Executable target, long context) {
        tailCalls++;
        pendingTailCall = target;
        tailCallContext = context;
    }

    /** Counts a taken tail call that replaces a subprogram frame and runs at once. */
    public void countTailCall() {
        tailCalls++;
    }

    /** The pending tail call's target, now no longer pending, or null. */
    Executable takeTailCall() {
        Executable target = pendingTailCall;
        pendingTailCall = null;
        return target;
    }

    /** The context (r1) of the last requested tail call. */
    long tailCallContext() {
        return tailCallContext;
    }

    /** Forgets the inputs and clears what the previous run left on the stack. */
    public void reset() {
        inputsEnd = FIRST_INPUT_ID;
        truncateAndClear();
        packet = Pointer.NULL;
    }

    /**
     * Keeps the inputs mapped since the last {@link #reset} (and the packet set) for the runs that {@link #repeat}
     * starts, as a test run's repeats run on the same packet and context.
     */
    public void keepInputs() {
        inputsEnd = memory.end();
    }

    /**
     * Prepares another run on the kept inputs ({@link #keepInputs}): the same pointers reach them, what the last run
     * mapped after them (a helper's temporary region) is gone, and the stack is clear, as after a {@link #reset} and
     * the same mapping, without mapping anything again.
     */
    public void repeat() {
        truncateAndClear();
    }

    private void truncateAndClear() {
        beginRun();
        memory.truncate(inputsEnd);
        Arrays.fill(stack, firstWritable, (deepestFrame + 1) * STACK_SIZE, (byte) 0);
        deepestFrame = 0;
    }
}
