package org.ebpf4j.runtime;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** bpf_loop and bpf_for_each_map_elem at the engine level: per-CPU walks and the frame limit of callbacks. */
class CallbackTest {

    private static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aPerCpuWalkSeesTheRunningCpusValues(Engine engine) {
        var spec = new MapSpec("per_cpu", MapType.PERCPU_ARRAY, 4, 8, 3, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.BTF);
        try (JvmMap map = JvmMaps.create(spec, 2)) {
            for (int i = 0; i < 3; i++) {
                map.updatePerCpu(new byte[] {(byte) i, 0, 0, 0}, List.of(u64(i + 1), u64(10 * (i + 1))),
                        MapUpdateFlags.BPF_ANY);
            }
            // *(u64 *)(fp - 8) = 0; r0 = bpf_for_each_map_elem(map, add, fp - 8, 0) * 1000 + *(fp - 8)
            var program = new ProgramBuilder()
                    .st(Size.DW, R10, -8, 0)
                    .lddw(R1, map.handle())
                    .lddwFunction(R2, "add")
                    .mov64(R3, R10)
                    .alu64(org.ebpf4j.isa.AluOp.ADD, R3, -8)
                    .mov64(R4, 0)
                    .call(HelperFunction.FOR_EACH_MAP_ELEM.value())
                    .alu64(org.ebpf4j.isa.AluOp.MUL, R0, 1000)
                    .ldx(Size.DW, R1, R10, -8)
                    .alu64(org.ebpf4j.isa.AluOp.ADD, R0, R1)
                    .exit()
                    // add(map, key, value, ctx): *ctx += *value; return 0
                    .label("add")
                    .ldx(Size.DW, R0, R3, 0)
                    .atomic(Size.DW, AtomicOp.ADD, false, R4, 0, R0)
                    .mov64(R0, 0)
                    .exit()
                    .build();
            Executable executable = engine.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE);
            Invocation invocation = new Invocation();
            assertEquals(3006, executable.run(invocation, 0, 0, 0, 0, 0));
            invocation.reset();
            invocation.setCpu(1);
            assertEquals(3060, executable.run(invocation, 0, 0, 0, 0, 0));
        }
    }

    @Test
    void callbacksCountAsFramesOnBothEngines() {
        // Each callback calls bpf_loop(1, itself): frames 1 to 7 are callbacks, the eighth does not fit.
        var program = new ProgramBuilder()
                .callLocal("nest")
                .exit()
                .label("nest")
                .mov64(R1, 1)
                .lddwFunction(R2, "nest")
                .mov64(R3, 0)
                .mov64(R4, 0)
                .call(HelperFunction.LOOP.value())
                .exit()
                .build();
        String interpreted = assertThrows(ProgramFault.class, () -> Engine.INTERPRETER.prepare(program,
                HelperRegistry.empty(), Long.MAX_VALUE).run(new Invocation(), 0, 0, 0, 0, 0)).getMessage();
        String compiled = assertThrows(ProgramFault.class, () -> Engine.JIT.prepare(program,
                HelperRegistry.empty(), Long.MAX_VALUE).run(new Invocation(), 0, 0, 0, 0, 0)).getMessage();
        assertEquals("insn 7: call stack is too deep: 8 frames at most", interpreted);
        assertEquals(interpreted, compiled);
    }
}
