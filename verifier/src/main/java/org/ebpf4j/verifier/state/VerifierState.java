package org.ebpf4j.verifier.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The abstract state of one path (the kernel's {@code struct bpf_verifier_state}): its call frames, the innermost
 * last. Mutable, like {@link FrameState}.
 */
public final class VerifierState {
    private final List<FrameState> frames;

    private VerifierState(List<FrameState> frames) {
        this.frames = frames;
    }

    /** The state at program entry: one frame, r1 the context, r10 the frame pointer. */
    public static VerifierState entry() {
        FrameState main = FrameState.entry(0);
        main.setReg(1, new RegisterType.PtrToCtx(0));
        List<FrameState> frames = new ArrayList<>();
        frames.add(main);
        return new VerifierState(frames);
    }

    public VerifierState copy() {
        List<FrameState> copies = new ArrayList<>(frames.size());
        for (FrameState f : frames) {
            copies.add(f.copy());
        }
        return new VerifierState(copies);
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
        return o instanceof VerifierState other && frames.equals(other.frames);
    }

    @Override
    public int hashCode() {
        return frames.hashCode();
    }
}
