package org.ebpf4j.verifier;

/** The kernel verifier's size and depth limits (include/linux/bpf.h, include/linux/bpf_verifier.h). */
public final class Limits {
    private Limits() {}

    /** BPF_COMPLEXITY_LIMIT_INSNS: instructions one verification may process, and a privileged program's size. */
    public static final int COMPLEXITY_LIMIT_INSNS = 1_000_000;
    /** BPF_MAXINSNS: an unprivileged program's size. */
    public static final int MAX_INSNS_UNPRIVILEGED = 4096;
    /** MAX_CALL_FRAMES: the main program and seven nested bpf-to-bpf calls. */
    public static final int MAX_CALL_FRAMES = 8;
    /** MAX_BPF_STACK: bytes of stack per program (all frames together). */
    public static final int MAX_BPF_STACK = 512;
    /** BPF_REG_SIZE: bytes per register and per stack slot. */
    public static final int REG_SIZE = 8;
    /** BPF_MAX_VAR_OFF: pointer offsets must stay strictly inside (-2^29, 2^29). */
    public static final long MAX_VAR_OFF = 1L << 29;
    /** MAX_PACKET_OFF: packet offsets a range may be proven for; larger ones could wrap. */
    public static final int MAX_PACKET_OFF = 0xffff;
}
