package org.ebpf4j.verifier.cfg;

import java.util.Arrays;

/**
 * Where each subprogram starts, in slot order: the main program at 0, then every target of a local call or a
 * PSEUDO_FUNC lddw (the kernel's {@code env->subprog_info}).
 */
public record Subprograms(int[] starts, int programLength) {

    public Subprograms {
        starts = starts.clone();
    }

    public int count() {
        return starts.length;
    }

    public int start(int subprog) {
        return starts[subprog];
    }

    /** The first slot after a subprogram. */
    public int end(int subprog) {
        return subprog + 1 < starts.length ? starts[subprog + 1] : programLength;
    }

    /** The subprogram that starts at {@code slot}, or -1. */
    public int startingAt(int slot) {
        int i = Arrays.binarySearch(starts, slot);
        return i >= 0 ? i : -1;
    }

    /** The subprogram whose slots include {@code slot} (0 to {@code programLength - 1}). */
    public int holding(int slot) {
        int i = Arrays.binarySearch(starts, slot);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public int[] starts() {
        return starts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subprograms other && Arrays.equals(starts, other.starts)
                && programLength == other.programLength;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(starts) * 31 + programLength;
    }

    @Override
    public String toString() {
        return "Subprograms" + Arrays.toString(starts);
    }
}
