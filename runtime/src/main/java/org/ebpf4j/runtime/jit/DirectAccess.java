package org.ebpf4j.runtime.jit;

import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;

/**
 * Loads and stores that the verifier proved to stay in the instruction's own stack frame, in the context or in the
 * packet: compiled code calls these instead of {@link JitRuntime#load}, skipping the region table, the region's
 * bounds and its write permission. The stack is the invocation's array at an index computed once per method
 * ({@link JitRun#frameTop}); the packet and the context are the regions their pointers last resolved to in this
 * run ({@link JitRun#cachePacket}, {@link JitRun#cacheContext}), told apart by the pointer's region id alone.
 *
 * <p>The JVM's own array bounds checks still stand behind every access, so a verifier bug can never reach memory
 * outside the invocation's arrays; whatever the direct path cannot do (an index outside the array, another region,
 * a read-only or segment region) it hands to the generic path, which gives the interpreter's result or fault.
 */
final class DirectAccess {
    private DirectAccess() {}

    // A fixed offset within the frame (FramePointerAccesses.withinFrame) puts the index inside the frame's bytes, which
    // the array holds whole: no bounds check can fail, so there is neither a fallback nor a handler for C2 to parse.

    static long loadFrame(byte[] stack, int index, int size) {
        return LittleEndian.get(stack, index, size);
    }

    static void storeFrame(byte[] stack, int index, int size, long value) {
        LittleEndian.set(stack, index, size, value);
    }

    static long loadStack(byte[] stack, int index, AddressSpace memory, long address, int size, int slot) {
        try {
            if (size == 1) {
                return stack[wrap(stack, index)] & 0xffL;
            }
            return LittleEndian.get(stack, index, size);
        } catch (IndexOutOfBoundsException e) {
            return JitRuntime.load(memory, address, size, slot);
        }
    }

    static void storeStack(byte[] stack, int index, AddressSpace memory, long address, int size, long value,
                           int slot) {
        try {
            if (size == 1) {
                stack[wrap(stack, index)] = (byte) value;
                return;
            }
            LittleEndian.set(stack, index, size, value);
        } catch (IndexOutOfBoundsException e) {
            JitRuntime.store(memory, address, size, value, slot);
        }
    }

    // Packet: every packet pointer a verified program holds points into the run's one packet (the verifier forgets
    // packet pointers across the helpers that move it, and the JIT looks the packet up again after them), so the
    // index is the pointer's offset in the cached array, without comparing region ids. Were the verifier wrong, the
    // access would still stay inside the packet's array (or fail its bounds check): a wrong answer, never memory
    // outside the run's own. A store needs a writable packet besides (a flag C2 hoists out of loops).
    // A miss (no packet cached yet, or outside the array) is a separate method, which C2 never parses for a program
    // that never misses, so that it costs nothing of C2's inlining budget (see JitRuntime.load).

    static long loadPacket(JitRun run, long address, int size, int slot) {
        int index = run.packetBase + Pointer.offset(address);
        try {
            if (size == 1) {
                byte[] bytes = run.packetBytes;
                return bytes[wrap(bytes, index)] & 0xffL;
            }
            return LittleEndian.get(run.packetArray, index, size);
        } catch (IndexOutOfBoundsException e) {
            return loadPacketMiss(run, address, size, slot);
        }
    }

    private static long loadPacketMiss(JitRun run, long address, int size, int slot) {
        return run.recachePacket(address) ? loadPacket(run, address, size, slot)
                : JitRuntime.load(run.memory, address, size, slot);
    }

    static void storePacket(JitRun run, long address, int size, long value, int slot) {
        if (run.packetWritable) {
            int index = run.packetBase + Pointer.offset(address);
            try {
                if (size == 1) {
                    byte[] bytes = run.packetBytes;
                    bytes[wrap(bytes, index)] = (byte) value;
                } else {
                    LittleEndian.set(run.packetArray, index, size, value);
                }
                return;
            } catch (IndexOutOfBoundsException e) {
                // Past the array, or no packet cached yet: the miss path decides.
            }
        }
        storePacketMiss(run, address, size, value, slot);
    }

    private static void storePacketMiss(JitRun run, long address, int size, long value, int slot) {
        if (run.recachePacket(address) && run.packetWritable) {
            storePacket(run, address, size, value, slot);
        } else {
            JitRuntime.store(run.memory, address, size, value, slot);
        }
    }

    /**
     * A byte's index in an array whose length is a power of two, taken modulo that length: the identity for every
     * index the verifier proved, and a form C2 knows to be in bounds ({@code (i & (length - 1)) <u length}), so byte
     * accesses, which loops over packets and stack buffers make one after the other, carry no bounds check. An index
     * a wrong fact puts past the array reads or writes the array's own bytes instead. An empty array (nothing
     * cached) masks nothing, and the JVM's check sends the access to the miss path.
     */
    private static int wrap(byte[] array, int index) {
        return index & (array.length - 1);
    }

    // Context: as the packet's before, the region id still decides, since a run's context pointers are not all
    // proven to be one region's; the cached region's path is all each method holds.

    /** The context's field rules still apply: they are the region's own computation, not a bounds check. */
    static long loadContext(JitRun run, long address, int size, int slot) {
        if (Pointer.regionId(address) == run.contextId) {
            try {
                return run.contextFields.load(Pointer.offset(address), size);
            } catch (IndexOutOfBoundsException | MemoryAccessException e) {
                // Outside the struct or not allowed: the generic path gives the interpreter's fault.
            }
        }
        return loadContextMiss(run, address, size, slot);
    }

    private static long loadContextMiss(JitRun run, long address, int size, int slot) {
        return run.recacheContext(address) ? loadContext(run, address, size, slot)
                : JitRuntime.load(run.memory, address, size, slot);
    }

    static void storeContext(JitRun run, long address, int size, long value, int slot) {
        if (Pointer.regionId(address) == run.contextId) {
            try {
                run.contextFields.store(Pointer.offset(address), size, value);
                return;
            } catch (IndexOutOfBoundsException | MemoryAccessException e) {
                // Outside the struct or not allowed: the generic path gives the interpreter's fault.
            }
        }
        storeContextMiss(run, address, size, value, slot);
    }

    private static void storeContextMiss(JitRun run, long address, int size, long value, int slot) {
        if (run.recacheContext(address)) {
            storeContext(run, address, size, value, slot);
        } else {
            JitRuntime.store(run.memory, address, size, value, slot);
        }
    }
}
