package org.ebpf4j.runtime.jit;

import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.FieldMemory;
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

    static long loadStack(byte[] stack, int index, AddressSpace memory, long address, int size, int slot) {
        try {
            return LittleEndian.get(stack, index, size);
        } catch (IndexOutOfBoundsException e) {
            return JitRuntime.load(memory, address, size, slot);
        }
    }

    static void storeStack(byte[] stack, int index, AddressSpace memory, long address, int size, long value,
                           int slot) {
        try {
            LittleEndian.set(stack, index, size, value);
        } catch (IndexOutOfBoundsException e) {
            JitRuntime.store(memory, address, size, value, slot);
        }
    }

    static long loadPacket(JitRun run, long address, int size, int slot) {
        if (Pointer.regionId(address) == run.packetId || run.cachePacket(address)) {
            try {
                return LittleEndian.get(run.packetArray, run.packetBase + Pointer.offset(address), size);
            } catch (IndexOutOfBoundsException e) {
                // Past the array: the generic path faults as the interpreter does.
            }
        }
        return JitRuntime.load(run.memory, address, size, slot);
    }

    static void storePacket(JitRun run, long address, int size, long value, int slot) {
        if ((Pointer.regionId(address) == run.packetId || run.cachePacket(address)) && run.packetWritable) {
            try {
                LittleEndian.set(run.packetArray, run.packetBase + Pointer.offset(address), size, value);
                return;
            } catch (IndexOutOfBoundsException e) {
                // Past the array: the generic path faults as the interpreter does.
            }
        }
        JitRuntime.store(run.memory, address, size, value, slot);
    }

    /** The context's field rules still apply: they are the region's own computation, not a bounds check. */
    static long loadContext(JitRun run, long address, int size, int slot) {
        if (Pointer.regionId(address) == run.contextId || run.cacheContext(address)) {
            FieldMemory fields = run.contextFields;
            try {
                return fields.load(Pointer.offset(address), size);
            } catch (IndexOutOfBoundsException | MemoryAccessException e) {
                // Outside the struct or not allowed: the generic path gives the interpreter's fault.
            }
        }
        return JitRuntime.load(run.memory, address, size, slot);
    }

    static void storeContext(JitRun run, long address, int size, long value, int slot) {
        if (Pointer.regionId(address) == run.contextId || run.cacheContext(address)) {
            FieldMemory fields = run.contextFields;
            try {
                fields.store(Pointer.offset(address), size, value);
                return;
            } catch (IndexOutOfBoundsException | MemoryAccessException e) {
                // Outside the struct or not allowed: the generic path gives the interpreter's fault.
            }
        }
        JitRuntime.store(run.memory, address, size, value, slot);
    }
}
