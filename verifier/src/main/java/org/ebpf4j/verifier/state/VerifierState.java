package org.ebpf4j.verifier.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The abstract state of one path (the kernel's {@code struct bpf_verifier_state}): its call frames, the innermost
 * last (at most {@link org.ebpf4j.verifier.Limits#MAX_CALL_FRAMES}). Mutable, like {@link FrameState}.
 */
public final class VerifierState {
    private final List<FrameState> frames;
    /** Acquired references not released yet (the kernel's refs[] of REF_TYPE_PTR), in acquisition order. */
    private final List<Reference> references;
    /** The kernel's callback_unroll_depth: callback iterations entered on this path (loop detection tells them apart). */
    private int callbackUnrollDepth;

    /** A reference the program holds: its id and the instruction that acquired it. */
    public record Reference(int id, int insn) {}

    private VerifierState(List<FrameState> frames, List<Reference> references) {
        this.frames = frames;
        this.references = references;
    }

    /** The state at program entry: one frame, r1 the context, r10 the frame pointer. */
    public static VerifierState entry() {
        FrameState main = FrameState.entry(0);
        main.setReg(1, new RegisterType.PtrToCtx(0));
        List<FrameState> frames = new ArrayList<>();
        frames.add(main);
        return new VerifierState(frames, new ArrayList<>());
    }

    /** A state of one frame (a global function's, verified on its own), holding no reference. */
    public static VerifierState of(FrameState frame) {
        List<FrameState> frames = new ArrayList<>();
        frames.add(frame);
        return new VerifierState(frames, new ArrayList<>());
    }

    public VerifierState copy() {
        List<FrameState> copies = new ArrayList<>(frames.size());
        for (FrameState f : frames) {
            copies.add(f.copy());
        }
        VerifierState copy = new VerifierState(copies, new ArrayList<>(references));
        copy.callbackUnrollDepth = callbackUnrollDepth;
        return copy;
    }

    public int callbackUnrollDepth() {
        return callbackUnrollDepth;
    }

    /** A callback iteration starts on this path. */
    public void enterCallback() {
        callbackUnrollDepth++;
    }

    /** The references held, oldest first. */
    public List<Reference> references() {
        return List.copyOf(references);
    }

    public void acquire(Reference reference) {
        references.add(reference);
    }

    /** Drops the reference with {@code id}; false when none is held. */
    public boolean release(int id) {
        return references.removeIf(r -> r.id() == id);
    }

    /** A call: {@code callee} becomes the innermost frame. */
    public void push(FrameState callee) {
        frames.add(callee);
    }

    /** A return: the innermost frame goes, and is returned. */
    public FrameState pop() {
        return frames.remove(frames.size() - 1);
    }

    /** The frames, outermost first (for logs). */
    public List<FrameState> frames() {
        return List.copyOf(frames);
    }

    public FrameState current() {
        return frames.get(frames.size() - 1);
    }

    public FrameState frame(int frameNo) {
        return frames.get(frameNo);
    }

    public int frameCount() {
        return frames.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierState other && frames.equals(other.frames)
                && references.equals(other.references) && callbackUnrollDepth == other.callbackUnrollDepth;
    }

    @Override
    public int hashCode() {
        return frames.hashCode() * 31 + references.hashCode();
    }
}
