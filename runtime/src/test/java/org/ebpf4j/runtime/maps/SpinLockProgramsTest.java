package org.ebpf4j.runtime.maps;

import static org.ebpf4j.isa.Opcode.PSEUDO_MAP_FD;
import static org.ebpf4j.isa.Register.*;
import static org.ebpf4j.runtime.maps.Specs.*;
import static org.ebpf4j.spec.HelperFunction.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.SpinLockHelpers;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * bpf_spin_lock excludes programs on other threads: two fields of one map value updated under the lock stay
 * consistent and no update is lost. (The kernel needs the map's BTF to accept a program using the lock, which the
 * Linux backend does not pass yet, so there is no kernel run to compare with.)
 */
class SpinLockProgramsTest {
    private static final int THREADS = 4;
    private static final int RUNS = 20_000;

    /** struct { struct bpf_spin_lock lock; u32 pad; u64 count; u64 sum; }: under the lock, count++ and sum += count. */
    private static ProgramBuilder lockedUpdate() {
        return new ProgramBuilder()
                .st(Size.W, R10, -4, 0)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .call(MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "out")
                .mov64(R6, R0)
                .mov64(R1, R6)
                .call(SPIN_LOCK.value())
                .ldx(Size.DW, R1, R6, 8)
                .alu64(AluOp.ADD, R1, 1)
                .stx(Size.DW, R6, 8, R1)
                .ldx(Size.DW, R2, R6, 16)
                .alu64(AluOp.ADD, R2, R1)
                .stx(Size.DW, R6, 16, R2)
                .mov64(R1, R6)
                .call(SPIN_UNLOCK.value())
                .label("out")
                .mov64(R0, 0)
                .exit();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void updatesUnderTheLockAreNeverLost(Engine engine) throws InterruptedException {
        try (JvmMap counters = JvmMaps.create(spec(MapType.ARRAY, 4, 24, 1, 0), 1)) {
            Executable program = engine.prepare(lockedUpdate().build(), SpinLockHelpers.register(MapHelpers.registry()),
                    Long.MAX_VALUE, MapTable.byIndex(List.of(counters)));
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    Invocation invocation = new Invocation();
                    for (int i = 0; i < RUNS; i++) {
                        invocation.reset();
                        program.run(invocation, 0, 0, 0, 0, 0);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            ByteBuffer value = ByteBuffer.wrap(counters.lookup(u32(0)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0, value.getInt(0), "the lock is free again");
            long n = (long) THREADS * RUNS;
            assertEquals(n, value.getLong(8), "count");
            assertEquals(n * (n + 1) / 2, value.getLong(16), "sum of 1..count: each update saw the previous one");
        }
    }
}
