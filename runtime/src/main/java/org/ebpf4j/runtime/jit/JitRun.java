package org.ebpf4j.runtime.jit;

import java.util.List;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.TailCalls;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.context.ContextLayout;

/**
 * The state one run of compiled code shares between its methods: the invocation, the backward-jump budget, and
 * r1-r5 as a callee left them, because the interpreter lets a caller see them after the call and the JIT must give
 * the same results even for programs that no verifier has checked.
 */
final class JitRun implements TailCalls.RunState {
    final Invocation invocation;
    final AddressSpace memory;
    /** The program running on this state: a tail call's target takes the state over ({@link #runFrame}). */
    Instructions program;
    JitProgram compiled;
    /**
     * The depth of the frame this run started in: a tail call made there leaves the call pending and returns
     * ({@link org.ebpf4j.runtime.TailCalls}); one made deeper replaces its subprogram at once.
     */
    final int baseDepth;
    private HelperRegistry helpers;
    private long backwardJumpLimit;
    private long backwardJumps;
    long r1;
    long r2;
    long r3;
    long r4;
    long r5;
    /** What a method that ended with a tail call returns: the target's r0, or 0 when the call is pending. */
    long tailCallResult;
    /** The bytes of every stack frame of the invocation, which direct stack accesses index ({@link #frameTop}). */
    final byte[] stack;
    /**
     * The array region packet pointers of region {@code packetId} resolved to, for {@link DirectAccess}; id 0 (NULL,
     * never mapped) and an empty array until the first packet access. Valid for this run only: ids are reused.
     */
    int packetId;
    byte[] packetArray = NO_BYTES;
    /**
     * {@link #packetArray} when its length is a power of two, else empty: {@link DirectAccess} indexes it masked
     * for byte accesses (the test runs' and XDP's packet arrays all are; any other falls back to the checked path).
     */
    byte[] packetBytes = NO_BYTES;
    int packetBase;
    int packetLength;
    boolean packetWritable;
    /**
     * Likewise the context's memory ({@code NO_CONTEXT} until the first context access). Its final class, rather
     * than the {@link org.ebpf4j.runtime.memory.FieldMemory} interface, binds the direct accesses' calls statically,
     * so C2 inlines them without a type profile (which one compile of log2_loop lacked: two interface calls a run).
     */
    int contextId;
    ContextMemory contextFields = NO_CONTEXT;
    /**
     * What the packet and context caches were resolved from on the last {@link #restart}: the address space's
     * generation, the invocation's packet pointer and r1. A restart that finds all three unchanged keeps the caches
     * (regions never change, so the same generation means the same regions behind the same ids); any other write
     * to the caches (a miss, a helper that moves the packet) marks them {@link #STALE}, resolved again next time.
     */
    private long resolvedGeneration = STALE;
    private long resolvedPacket;
    private long resolvedContext;
    /** No generation: they start at 0 and only grow. */
    private static final long STALE = -1;

    private static final byte[] NO_BYTES = new byte[0];
    /** Stands for the context until it is cached: a struct of no bytes, every access fails over to the generic path. */
    private static final ContextMemory NO_CONTEXT = new ContextMemory(new ContextLayout("no context", 0, List.of()));

    JitRun(Invocation invocation, JitProgram compiled, int baseDepth) {
        this.invocation = invocation;
        this.memory = invocation.memory();
        this.baseDepth = baseDepth;
        runs(compiled);
        this.stack = memory.region(Invocation.framePointer(0)).array();
        if (Integer.bitCount(stack.length) != 1) {
            // DirectAccess masks byte indexes by the length, which only a power of two leaves unchanged.
            throw new IllegalStateException("a stack array of " + stack.length + " bytes, not a power of two");
        }
        // Resolved before the program starts, so that compiled code never calls cachePacket and C2 can hoist the
        // cache out of loops.
        lookUpPacket();
    }

    /** Makes this the state of {@code next}, with a full backward-jump budget, as a fresh state would have. */
    void runs(JitProgram next) {
        // References are written only when they change (a program tail-calling itself, a kept state run again): each
        // reference store pays the collector's write barrier.
        if (compiled != next) {
            this.compiled = next;
            this.program = next.program();
            this.helpers = next.helpers();
            this.backwardJumpLimit = next.backwardJumpLimit();
        }
        this.backwardJumps = backwardJumpLimit;
    }

    /**
     * Makes this state, kept by its invocation, what a new one would be for a run of {@code next} from the first
     * frame with {@code context} as r1: the packet looked up again and the context resolved again, unless nothing
     * they were resolved from has changed since the last restart (a test run's repeats, a program run again on the
     * same input).
     */
    void restart(JitProgram next, long context) {
        runs(next);
        r1 = 0;
        r2 = 0;
        r3 = 0;
        r4 = 0;
        r5 = 0;
        tailCallResult = 0;
        long generation = memory.generation();
        long packet = invocation.packet();
        if (generation != resolvedGeneration || packet != resolvedPacket || context != resolvedContext) {
            contextId = 0;
            lookUpPacket();
            cacheContext(context);
            resolvedGeneration = generation;
            resolvedPacket = packet;
            resolvedContext = context;
        }
    }

    /**
     * Whether a tail call's target may take this state over in the frame at {@code depth} of {@code invocation}: its
     * stack array and the packet and context it resolved stay valid for the whole run.
     */
    boolean serves(Invocation invocation, int depth) {
        return invocation == this.invocation && depth == baseDepth;
    }

    /**
     * The index in {@link #stack} of the frame pointer (r10) of {@code depth}: the end of that frame's bytes. Compiled
     * methods with direct stack accesses compute it once, on entry.
     */
    int frameTop(int depth) {
        Region frame = memory.region(Invocation.framePointer(depth));
        if (frame.array() != stack) {
            throw new IllegalStateException("stack frame " + depth + " is not in the invocation's stack array");
        }
        return frame.base() + frame.length();
    }

    /** Resolves the region of a packet pointer for {@link DirectAccess}: false when it is no array region. */
    boolean cachePacket(long address) {
        resolvedGeneration = STALE;
        Region region = memory.region(address);
        if (region == null || region.array() == null) {
            return false;
        }
        packetId = Pointer.regionId(address);
        if (packetArray != region.array()) {
            packetArray = region.array();
            packetBytes = Integer.bitCount(packetArray.length) == 1 ? packetArray : NO_BYTES;
        }
        packetBase = region.base();
        packetLength = region.length();
        packetWritable = region.writable();
        return true;
    }

    /**
     * Caches the packet the invocation points at (the test run or attach point sets it, and every move of the packet
     * updates it), or nothing: on entry, and after each helper that may move the packet
     * ({@link org.ebpf4j.spec.helper.PacketDataHelpers}), so that no direct access reaches an old window.
     */
    void lookUpPacket() {
        resolvedGeneration = STALE;
        if (invocation.packet() == Pointer.NULL || !cachePacket(invocation.packet())) {
            packetId = 0;
            packetArray = NO_BYTES;
            packetBytes = NO_BYTES;
            packetWritable = false;
            packetBase = 0;
            packetLength = 0;
        }
    }

    /** After a missed packet access: true when the address is in another region, now cached (retry the access). */
    boolean recachePacket(long address) {
        return Pointer.regionId(address) != packetId && cachePacket(address);
    }

    /** After a missed context access: as {@link #recachePacket}. */
    boolean recacheContext(long address) {
        return Pointer.regionId(address) != contextId && cacheContext(address);
    }

    /** Resolves the region of a context pointer for {@link DirectAccess}: false when it is no {@link ContextMemory}. */
    boolean cacheContext(long address) {
        resolvedGeneration = STALE;
        Region region = memory.region(address);
        if (region == null || !(region.fields() instanceof ContextMemory fields)) {
            if (contextId == 0 && contextFields != NO_CONTEXT) {
                contextFields = NO_CONTEXT; // a restarted state whose new r1 is no context
            }
            return false;
        }
        contextId = Pointer.regionId(address);
        if (contextFields != fields) {
            contextFields = fields;
        }
        return true;
    }

    HelperRegistry helpers() {
        return helpers;
    }

    /** Counts a backward jump taken at {@code slot}; the message is the interpreter's. */
    void backwardJump(int slot) {
        if (--backwardJumps < 0) {
            throw new ProgramFault(slot, "stopped after " + backwardJumpLimit + " backward jumps");
        }
    }

    /** Enters a bpf-to-bpf call made at {@code slot} from {@code depth}; returns the callee's depth. */
    int enterFrame(int depth, int slot) {
        int callee = depth + 1;
        if (callee >= Invocation.MAX_FRAMES) {
            throw new ProgramFault(slot, "call stack is too deep: " + Invocation.MAX_FRAMES + " frames at most");
        }
        invocation.noteFrame(callee);
        return callee;
    }

    /**
     * Calls back the subprogram at code pointer {@code fn} for a helper, in a new frame below {@code callerDepth}
     * with a state of its own (as the interpreter's callback gets its own loop); a tail call in the callback
     * replaces the callback's frame.
     */
    long callback(int callerDepth, long fn, long a1, long a2, long a3, long a4, long a5, int slot) {
        int target = Pointer.isCode(fn) ? Pointer.offset(fn) : -1;
        if (target < 0 || !program.startsInstruction(target)) {
            throw new ProgramFault(slot, "callback " + Pointer.format(fn) + " is not an instruction of this program");
        }
        int depth = enterFrame(callerDepth, slot);
        JitRun run = compiled.newRun(invocation, depth);
        return TailCalls.finish(invocation, depth, compiled.entry().callback(run, target, depth, a1, a2, a3, a4, a5),
                run);
    }

    /**
     * Decodes a callx target as the interpreter does: the slot a code pointer points to, or -1 when the target is
     * a helper id.
     */
    int callxTarget(long target, int slot) {
        if (!Pointer.isCode(target)) {
            return -1;
        }
        int to = Pointer.offset(target);
        if (!program.startsInstruction(to)) {
            throw new ProgramFault(slot, "callx to " + Pointer.format(target)
                    + ", which is not an instruction of this program");
        }
        return to;
    }
}
