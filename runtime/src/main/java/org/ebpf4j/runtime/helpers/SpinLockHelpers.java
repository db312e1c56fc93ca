package org.ebpf4j.runtime.helpers;

import static org.ebpf4j.spec.HelperFunction.SPIN_LOCK;
import static org.ebpf4j.spec.HelperFunction.SPIN_UNLOCK;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.SharedRegions;

/**
 * {@code bpf_spin_lock} and {@code bpf_spin_unlock} on a {@code struct bpf_spin_lock} (4 bytes, 0 when free) inside a
 * map value: a test-and-set lock on the value's own bytes through the hardware's compare-and-exchange, so programs on
 * different threads exclude each other as in the kernel (whose lock word is also the 4 bytes in the value).
 *
 * <p>The kernel's verifier allows one lock at a time, requires the unlock on every path and forbids helper calls in
 * between; without it, this class enforces what it can at run time: a lock must be in a map value, a thread holding
 * a lock may not take another, only the holder unlocks, and a lock that stays taken for {@link #MAX_WAIT_NANOS}
 * (a program that faulted while holding it) stops the waiting program with a fault instead of hanging it.
 */
public final class SpinLockHelpers {
    private SpinLockHelpers() {}

    /** How long a program waits for a lock before it faults. */
    static final long MAX_WAIT_NANOS = 5_000_000_000L;
    /** The lock this thread holds (its address), or 0. */
    private static final ThreadLocal<long[]> HELD = ThreadLocal.withInitial(() -> new long[1]);

    public static HelperRegistry register(HelperRegistry helpers) {
        return helpers
                .with(SPIN_LOCK.value(), SPIN_LOCK.kernelName(), (c, lock, r2, r3, r4, r5) -> lock(c, lock))
                .with(SPIN_UNLOCK.value(), SPIN_UNLOCK.kernelName(), (c, lock, r2, r3, r4, r5) -> unlock(c, lock));
    }

    static long lock(HelperContext c, long lock) {
        checkInMapValue(lock, "bpf_spin_lock");
        long[] held = HELD.get();
        if (held[0] != 0) {
            throw new MemoryAccessException("bpf_spin_lock: this program already holds the lock at "
                    + Pointer.format(held[0]) + " (one lock at a time, as the kernel's verifier requires)");
        }
        acquire(() -> c.memory().compareAndExchange(lock, 4, 0, 1) == 0, () -> Pointer.format(lock));
        held[0] = lock;
        return 0;
    }

    /**
     * Spins until {@code tryTake} takes a lock, yielding after a while (a holder that is not running needs the CPU
     * back), and faults after {@link #MAX_WAIT_NANOS}. Programs' {@code bpf_spin_lock} and the map operations with
     * BPF_F_LOCK wait alike.
     *
     * @param lock the lock's name in the fault's message
     */
    public static void acquire(BooleanSupplier tryTake, Supplier<String> lock) {
        long start = 0;
        for (int spins = 0; !tryTake.getAsBoolean(); spins++) {
            if (spins < 1000) {
                Thread.onSpinWait();
                continue;
            }
            Thread.yield();
            if (start == 0) {
                start = System.nanoTime();
            } else if (System.nanoTime() - start > MAX_WAIT_NANOS) {
                throw new MemoryAccessException("bpf_spin_lock: the lock at " + lock.get() + " stayed taken for "
                        + MAX_WAIT_NANOS / 1_000_000_000L + " s (a program stopped holding it?)");
            }
        }
    }

    static long unlock(HelperContext c, long lock) {
        checkInMapValue(lock, "bpf_spin_unlock");
        long[] held = HELD.get();
        if (held[0] != lock) {
            throw new MemoryAccessException("bpf_spin_unlock: the lock at " + Pointer.format(lock)
                    + " is not held by this program");
        }
        // XCHG is a volatile write: what the program wrote under the lock is visible to the next holder.
        c.memory().atomic(lock, 4, AtomicOp.XCHG, 0);
        held[0] = 0;
        return 0;
    }

    private static void checkInMapValue(long lock, String helper) {
        if (Pointer.regionId(lock) < SharedRegions.FIRST_ID || SharedRegions.get(Pointer.regionId(lock)) == null) {
            throw new MemoryAccessException(helper + ": " + Pointer.format(lock) + " is not in a map value");
        }
    }
}
