package org.ebpf4j.spec;

/** The {@code prog_flags} of {@code BPF_PROG_LOAD}, as {@code include/uapi/linux/bpf.h} defines them (Linux 6.18). */
public final class ProgramLoadFlags {

    /** Check pointer alignment as if the machine had no efficient unaligned access. */
    public static final int BPF_F_STRICT_ALIGNMENT = 1 << 0;
    /** Skip alignment checks (testing only; the opposite of strict). */
    public static final int BPF_F_ANY_ALIGNMENT = 1 << 1;
    /** Fill the upper 32 bits of zero-extended subregisters with random values (verifier testing). */
    public static final int BPF_F_TEST_RND_HI32 = 1 << 2;
    /** Verifier test flag: prune states at a different frequency. */
    public static final int BPF_F_TEST_STATE_FREQ = 1 << 3;
    /** The program may sleep; libbpf sets it for {@code .s} sections. */
    public static final int BPF_F_SLEEPABLE = 1 << 4;
    /** XDP program understands multi-buffer packets; libbpf sets it for {@code xdp.frags} sections. */
    public static final int BPF_F_XDP_HAS_FRAGS = 1 << 5;
    /** XDP program bound to a device for metadata kfuncs, without being offloaded. */
    public static final int BPF_F_XDP_DEV_BOUND_ONLY = 1 << 6;
    /** Verifier test flag: fail on register bounds invariant violations. */
    public static final int BPF_F_TEST_REG_INVARIANTS = 1 << 7;
    /** A BPF token fd accompanies the load; the same bit as {@link MapFlags#BPF_F_TOKEN_FD}. */
    public static final int BPF_F_TOKEN_FD = MapFlags.BPF_F_TOKEN_FD;

    private ProgramLoadFlags() {
    }
}
