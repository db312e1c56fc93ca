package org.ebpf4j.runtime.jit;

import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.PacketTooShort;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.TailCalls;
import org.ebpf4j.runtime.helpers.CallbackHelpers;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.spec.helper.PacketDataHelpers;

/**
 * What compiled code calls for anything that can fault: each method takes the slot of its instruction and turns a
 * fault into the interpreter's {@link ProgramFault}, so the generated code needs no exception tables. C2 inlines
 * these small methods; the catch blocks stay off the hot path.
 */
final class JitRuntime {
    private JitRuntime() {}

    /**
     * A load that no fact makes direct: the stack frames and the packet this run resolved are served from their
     * arrays after the same bounds checks as the region table's (so unverified programs get them cheaply too);
     * everything else, and everything out of bounds, goes through the region table. The stack's path is all that
     * stays in this method: C2 counts a callee's whole bytecode against its inlining budget (8000 bytes per
     * compiled method) and compiles the paths a program never takes as traps, so a stack access costs only that.
     */
    static long load(JitRun run, long address, int size, int slot) {
        int at = Invocation.stackIndex(address, size);
        return at >= 0 ? LittleEndian.get(run.stack, at, size) : loadElsewhere(run, address, size, slot);
    }

    private static long loadElsewhere(JitRun run, long address, int size, int slot) {
        int offset = Pointer.offset(address);
        if (Pointer.regionId(address) == run.packetId && offset >= 0 && offset <= run.packetLength - size) {
            return LittleEndian.get(run.packetArray, run.packetBase + offset, size);
        }
        return load(run.memory, address, size, slot);
    }

    /** A store that no fact makes direct: as {@link #load(JitRun, long, int, int)}, the packet only if writable. */
    static void store(JitRun run, long address, int size, long value, int slot) {
        int at = Invocation.stackIndex(address, size);
        if (at >= 0) {
            LittleEndian.set(run.stack, at, size, value);
        } else {
            storeElsewhere(run, address, size, value, slot);
        }
    }

    private static void storeElsewhere(JitRun run, long address, int size, long value, int slot) {
        int offset = Pointer.offset(address);
        if (Pointer.regionId(address) == run.packetId && run.packetWritable && offset >= 0
                && offset <= run.packetLength - size) {
            LittleEndian.set(run.packetArray, run.packetBase + offset, size, value);
            return;
        }
        store(run.memory, address, size, value, slot);
    }

    static long load(AddressSpace memory, long address, int size, int slot) {
        try {
            return memory.load(address, size);
        } catch (MemoryAccessException e) {
            throw new ProgramFault(slot, e.getMessage());
        }
    }

    static void store(AddressSpace memory, long address, int size, long value, int slot) {
        try {
            memory.store(address, size, value);
        } catch (MemoryAccessException e) {
            throw new ProgramFault(slot, e.getMessage());
        }
    }

    static long atomic(AddressSpace memory, long address, int size, AtomicOp op, long operand, int slot) {
        try {
            return memory.atomic(address, size, op, operand);
        } catch (MemoryAccessException e) {
            throw new ProgramFault(slot, e.getMessage());
        }
    }

    static long compareAndExchange(AddressSpace memory, long address, int size, long expected,
                                          long replacement, int slot) {
        try {
            return memory.compareAndExchange(address, size, expected, replacement);
        } catch (MemoryAccessException e) {
            throw new ProgramFault(slot, e.getMessage());
        }
    }

    static long callHelper(Helper helper, JitRun run, long r1, long r2, long r3, long r4, long r5, int slot) {
        try {
            return helper.call(run.invocation, r1, r2, r3, r4, r5);
        } catch (MemoryAccessException | Interpreter.RunFault e) {
            throw new ProgramFault(slot, e.getMessage());
        }
    }

    /** A helper chosen at run time (callx with a helper id), or a call to an id the registry lacks. */
    static long callHelperById(JitRun run, long id, long r1, long r2, long r3, long r4, long r5, int slot) {
        Helper helper = run.helpers().get(id);
        if (helper == null) {
            throw new ProgramFault(slot, "unknown helper function " + id);
        }
        long r0 = callHelper(helper, run, r1, r2, r3, r4, r5, slot);
        if (id == (int) id && PacketDataHelpers.changesPacketData((int) id)) {
            run.lookUpPacket();
        }
        return r0;
    }

    /** LD_ABS / LD_IND: the interpreter's packet load; a too-short packet ends the whole run with 0. */
    static long legacyLoad(JitRun run, long offset, int size, int slot) {
        long value;
        try {
            value = Interpreter.legacyPacketLoad(run.invocation, offset, size);
        } catch (MemoryAccessException | Interpreter.RunFault e) {
            throw new ProgramFault(slot, e.getMessage());
        }
        if (value < 0) {
            throw PacketTooShort.INSTANCE;
        }
        return value;
    }

    /**
     * {@code bpf_tail_call} made at {@code depth}: true when taken, and the method must then return
     * {@code run.tailCallResult}; false to fall through.
     */
    static boolean tailCall(JitRun run, long context, long map, long index, int depth, int slot) {
        Executable target;
        try {
            target = MapHelpers.tailCallTarget(run.invocation, map, index);
        } catch (MemoryAccessException e) {
            throw new ProgramFault(slot, e.getMessage());
        }
        if (target == null) {
            return false;
        }
        if (depth == run.baseDepth) {
            run.invocation.requestTailCall(target, context);
            run.tailCallResult = 0;
        } else {
            run.invocation.countTailCall();
            run.tailCallResult = TailCalls.replaceSubprogram(run.invocation, target, depth, context);
        }
        return true;
    }

    /** {@code bpf_loop}, calling back into this program. */
    static long loop(JitRun run, int depth, long loops, long fn, long context, long flags, int slot) {
        return CallbackHelpers.loop(loops, context, flags,
                (a1, a2, a3, a4, a5) -> run.callback(depth, fn, a1, a2, a3, a4, a5, slot));
    }

    /** {@code bpf_for_each_map_elem}, calling back into this program. */
    static long forEachElement(JitRun run, int depth, long map, long fn, long context, long flags, int slot) {
        try {
            return MapHelpers.forEachElement(run.invocation, map, context, flags,
                    (a1, a2, a3, a4, a5) -> run.callback(depth, fn, a1, a2, a3, a4, a5, slot));
        } catch (MemoryAccessException | Interpreter.RunFault e) {
            throw new ProgramFault(slot, e.getMessage());
        }
    }

    static ProgramFault unknownOpcode(int slot, int opcode) {
        return new ProgramFault(slot, String.format("unknown opcode 0x%02x", opcode));
    }

    /** A callx to an instruction that starts no subprogram: the interpreter runs it, this JIT cannot yet. */
    static ProgramFault callxIntoSubprogram(int slot, int target) {
        return new ProgramFault(slot, "callx to " + Pointer.format(Pointer.code(target))
                + ": the JIT calls subprogram entries only");
    }

}
