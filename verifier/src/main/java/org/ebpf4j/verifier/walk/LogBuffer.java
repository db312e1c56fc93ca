package org.ebpf4j.verifier.walk;

/**
 * The kernel's rotating verifier log (bpf_verifier_log since 6.4): text is appended at a logical position that
 * only grows, except where the verifier rewinds it ({@link #reset}); only the last {@code size} characters are
 * kept, so a walk of a million instructions costs bounded memory. Rewinding below what was already dropped
 * empties the log, as bpf_vlog_reset does.
 */
final class LogBuffer {
    private final int size;
    /** Characters from logical position {@code stored} on; more than the window, so that drops are rare. */
    private final StringBuilder text = new StringBuilder();
    private long stored;
    /** The logical position of the window's first character: never more than {@code size} before the end. */
    private long start;
    /** The furthest the log ever reached (the kernel's len_max). */
    private long furthest;

    LogBuffer(int size) {
        this.size = size;
    }

    void append(CharSequence more) {
        text.append(more);
        grown();
    }

    void append(char c) {
        text.append(c);
        grown();
    }

    private void grown() {
        long end = position();
        furthest = Math.max(furthest, end);
        start = Math.max(start, end - size);
        // Dropping in large steps keeps appends amortised constant.
        if (text.length() > 2 * size) {
            int drop = (int) (start - stored);
            text.delete(0, drop);
            stored = start;
        }
    }

    long position() {
        return stored + text.length();
    }

    /** Rewinds to an earlier position: what was written after it disappears. */
    void reset(long position) {
        if (position < start) {
            start = position;
            stored = position;
            text.setLength(0);
        } else {
            text.setLength((int) (position - stored));
        }
    }

    /** The last character written, or 0 when the window is empty. */
    char last() {
        return position() > start ? text.charAt(text.length() - 1) : 0;
    }

    /**
     * Whether the log outgrew its size at some point, as the kernel's rotating log then fails the load with ENOSPC
     * (even where rewinds left a final log that fits).
     */
    boolean truncated() {
        return furthest > size;
    }

    /** The window: at most the last {@code size} characters. */
    String text() {
        return text.substring((int) (start - stored));
    }
}
