package org.ebpf4j.runtime.maps;

import static org.ebpf4j.isa.Opcode.PSEUDO_MAP_FD;
import static org.ebpf4j.isa.Register.*;
import static org.ebpf4j.runtime.maps.Specs.u32;
import static org.ebpf4j.spec.HelperFunction.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.SpinLockHelpers;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapUpdateFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * BPF_F_LOCK copies exclude programs holding the value's {@code bpf_spin_lock}: programs on two threads change the
 * three fields of fixtures/src/spin_lock.c's {@code struct locked} together under the lock (before += 1, count += 1,
 * after += 2) while Java threads read and write the value with BPF_F_LOCK; every copy Java reads is consistent
 * (before == count, after == 2 * count) and the lock word reads as zero.
 */
class LockedCopiesTest {
    private static final int RUNS = 20_000;

    /** locked_array[0]: under the lock at offset 8, before (u64 at 0) += 1, count (u32 at 12) += 1, after += 2. */
    private static ProgramBuilder lockedIncrement() {
        return new ProgramBuilder()
                .st(Size.W, R10, -4, 0)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .call(MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "out")
                .mov64(R6, R0)
                .mov64(R1, R6).alu64(AluOp.ADD, R1, 8)
                .call(SPIN_LOCK.value())
                .ldx(Size.DW, R1, R6, 0).alu64(AluOp.ADD, R1, 1).stx(Size.DW, R6, 0, R1)
                .ldx(Size.W, R2, R6, 12).alu64(AluOp.ADD, R2, 1).stx(Size.W, R6, 12, R2)
                .ldx(Size.DW, R3, R6, 16).alu64(AluOp.ADD, R3, 2).stx(Size.DW, R6, 16, R3)
                .mov64(R1, R6).alu64(AluOp.ADD, R1, 8)
                .call(SPIN_UNLOCK.value())
                .label("out")
                .mov64(R0, 0)
                .exit();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void javaCopiesUnderTheLockAreNeverTorn(Engine engine) throws IOException, InterruptedException {
        CollectionSpec object = ObjectLoader.load(Path.of("..", "fixtures", "obj", "spin_lock.v3.o"));
        try (JvmMap map = JvmMaps.create(object.map("locked_array"), 1, object.btf())) {
            assertTrue(map.hasSpinLock());
            Executable program = engine.prepare(lockedIncrement().build(),
                    SpinLockHelpers.register(MapHelpers.registry()), Long.MAX_VALUE, MapTable.byIndex(List.of(map)));
            ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> programs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                programs.add(Thread.ofPlatform().start(() -> {
                    Invocation invocation = new Invocation();
                    for (int i = 0; i < RUNS; i++) {
                        invocation.reset();
                        program.run(invocation, 0, 0, 0, 0, 0);
                    }
                }));
            }
            Thread reader = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    check(map.lookup(u32(0), MapUpdateFlags.BPF_F_LOCK).orElseThrow(), torn);
                }
            });
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int k = 0; running.get(); k = (k + 1) % 1000) {
                    map.update(u32(0), value(k), MapUpdateFlags.BPF_F_LOCK | MapUpdateFlags.BPF_EXIST);
                }
            });
            for (Thread p : programs) {
                p.join();
            }
            running.set(false);
            reader.join();
            writer.join();
            check(map.lookup(u32(0)).orElseThrow(), torn);
            assertEquals(List.of(), List.copyOf(torn).subList(0, Math.min(5, torn.size())), torn.size() + " torn");
        }
    }

    private static byte[] value(int k) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(k).putInt(-1).putInt(k)
                .putLong(2L * k).array();
    }

    private static void check(byte[] bytes, ConcurrentLinkedQueue<String> torn) {
        ByteBuffer v = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long before = v.getLong(0);
        int lock = v.getInt(8);
        long count = Integer.toUnsignedLong(v.getInt(12));
        long after = v.getLong(16);
        if (lock != 0 || before != count || after != 2 * count) {
            torn.add("before " + before + ", lock " + lock + ", count " + count + ", after " + after);
        }
    }
}
