package org.ebpf4j.runtime.maps;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ebpf4j.api.MapException;
import org.ebpf4j.api.Program;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.TailCalls;
import org.ebpf4j.runtime.RunnableProgram;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramType;

/**
 * BPF_MAP_TYPE_PROG_ARRAY: {@code max_entries} slots, each empty or holding a program, for {@code bpf_tail_call}.
 * Every program in it, and every program that tail-calls through it, has one type: the first program put in or
 * loaded against the array decides (the kernel's owner type). User space puts programs with
 * {@link #update(byte[], Program, long)} and reads program ids; programs reach the array only through tail calls.
 *
 * <p>Concurrency: slots are replaced atomically; a tail call sees the old or the new program.
 */
final class ProgArrayMap extends JvmMap {
    private record Slot(Executable executable, int programId) {}

    /** A program as a tail call runs it: its faults name it, not the program that made the call. */
    private record Named(String name, Executable executable) implements Executable {
        @Override
        public long run(Invocation invocation, long r1, long r2, long r3, long r4, long r5) {
            try {
                return executable.run(invocation, r1, r2, r3, r4, r5);
            } catch (ProgramFault fault) {
                throw fault.in(name);
            }
        }

        @Override
        public long runFrame(Invocation invocation, int depth, long context) {
            try {
                return executable.runFrame(invocation, depth, context);
            } catch (ProgramFault fault) {
                throw fault.in(name);
            }
        }

        @Override
        public long runFrame(Invocation invocation, int depth, long context, TailCalls.RunState state) {
            try {
                return executable.runFrame(invocation, depth, context, state);
            } catch (ProgramFault fault) {
                throw fault.in(name);
            }
        }
    }

    private final AtomicReferenceArray<Slot> slots;
    private ProgramType owner;

    ProgArrayMap(MapSpec spec) {
        super(spec, 1);
        this.slots = new AtomicReferenceArray<>(spec.maxEntries());
    }

    /**
     * Claims the array for programs of {@code type}, as the kernel does for each program that uses it; false when
     * it already serves another type.
     */
    synchronized boolean claim(ProgramType type) {
        if (owner == null) {
            owner = type;
        }
        return owner == type;
    }

    /** The tail call's target: null to fall through (index past the end, limit reached, empty slot). */
    Executable tailCallTarget(Invocation invocation, long index) {
        long i = index & 0xffff_ffffL;
        if (i >= maxEntries() || !invocation.mayTailCall()) {
            return null;
        }
        Slot slot = slots.get((int) i);
        return slot == null ? null : slot.executable();
    }

    @Override
    long lookup(HelperContext context, long key) {
        throw new MemoryAccessException(this + " is read by bpf_tail_call only: programs cannot look it up");
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        throw new MemoryAccessException(this + " is filled from user space only: programs cannot update it");
    }

    @Override
    long delete(HelperContext context, long key) {
        throw new MemoryAccessException(this + " is changed from user space only: programs cannot delete from it");
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        checkKey("lookup", key);
        long index = FdSlots.index(key);
        Slot slot = index < maxEntries() ? slots.get((int) index) : null;
        return slot == null ? Optional.empty() : Optional.of(FdSlots.u32(slot.programId()));
    }

    /** Programs have no file descriptors in the JVM: use {@link #update(byte[], Program, long)}. */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        throw new UnsupportedOperationException(this + " holds programs, not bytes: update it with a Program");
    }

    @Override
    public void update(byte[] key, Program program, long flags) {
        checkWrite("update");
        checkKey("update", key);
        long index = FdSlots.index(key);
        if (flags != MapUpdateFlags.BPF_ANY) {
            throw new MapException(name(), "update", Errno.EINVAL);
        }
        if (index >= maxEntries()) {
            throw new MapException(name(), "update", Errno.E2BIG);
        }
        if (!(program instanceof RunnableProgram p)) {
            throw new MapException(name(), "update (" + program + " is not loaded in this JVM)", Errno.EBADF);
        }
        if (!claim(p.type())) {
            throw new MapException(name(), "update (a " + p.type() + " program in an array of " + owner
                    + " programs)", Errno.EINVAL);
        }
        slots.set((int) index, new Slot(new Named(p.name(), p.executable()), p.id()));
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        checkKey("delete", key);
        long index = FdSlots.index(key);
        if (index >= maxEntries()) {
            throw new MapException(name(), "delete", Errno.E2BIG);
        }
        return slots.getAndSet((int) index, null) != null;
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        if (key != null) {
            checkKey("next key", key);
        }
        return FdSlots.nextIndex(key, maxEntries());
    }

    @Override
    void release() {
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }
}
