package org.ebpf4j.runtime.maps;

import static org.ebpf4j.runtime.maps.Specs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ebpf4j.api.MapException;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

/**
 * A clang-compiled object (fixtures/src/maps.c) end to end: its maps created from the specs, its lddw map and
 * global-data references resolved, its program run on the interpreter with the map helpers.
 */
class ObjectMapsTest {
    private static final Path MAPS_OBJECT = Path.of("..", "fixtures", "obj", "maps.v3.o");
    private static final int PID = 4242;

    @Test
    void mapsObjectCountsPerPidInItsHashAndGlobals() throws Exception {
        CollectionSpec collection = ObjectLoader.load(MAPS_OBJECT);
        Map<String, JvmMap> maps = new HashMap<>();
        collection.maps().forEach((name, spec) -> maps.put(name, JvmMaps.create(spec, 2)));
        try {
            AtomicInteger printed = new AtomicInteger();
            HelperRegistry helpers = MapHelpers.registry()
                    .with(HelperFunction.GET_CURRENT_PID_TGID.value(), "bpf_get_current_pid_tgid",
                            (c, a, b, d, e, f) -> (long) PID << 32 | PID)
                    .with(HelperFunction.TRACE_PRINTK.value(), "bpf_trace_printk",
                            (c, a, b, d, e, f) -> printed.incrementAndGet());
            ProgramSpec program = collection.programs().get("on_open");
            Interpreter p = Interpreter.load(program.instructions(), helpers, Long.MAX_VALUE,
                    MapTable.forProgram(program, maps));
            var inv = new Invocation();
            for (int i = 0; i < 12; i++) {
                assertEquals(0, p.run(inv, 0));
                inv.reset();
            }
            assertEquals(12, asLong(maps.get("counts").lookup(u32(PID)).orElseThrow()));
            assertEquals(2, printed.get(), "over the .rodata threshold of 10 twice (11 and 12)");
            JvmMap bss = maps.values().stream().filter(m -> m.name().contains("bss")).findFirst().orElseThrow();
            assertEquals(12, asLong(java.util.Arrays.copyOf(bss.lookup(u32(0)).orElseThrow(), 8)), "calls");
            JvmMap rodata = maps.values().stream().filter(m -> m.name().contains("rodata")).findFirst()
                    .orElseThrow();
            assertTrue(rodata.frozen(), ".rodata is frozen");
            MapException e = assertThrows(MapException.class,
                    () -> rodata.update(u32(0), new byte[rodata.valueSize()], MapUpdateFlags.BPF_ANY));
            assertEquals(Errno.EPERM, e.errno());
        } finally {
            maps.values().forEach(JvmMap::close);
        }
    }
}
