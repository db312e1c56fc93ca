package org.ebpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.backend.JvmProgram;
import org.ebpf4j.spec.CollectionSpec;
import org.junit.jupiter.api.Test;

/**
 * fixtures/large/large.o, the 1 MB clang object (240 XDP programs, 60 subprograms, 42 maps): every program is
 * compiled (blinded, as the backend loads by default), and running each on a few packets leaves the same results,
 * packets and map contents as on the interpreter.
 */
class LargeFixtureTest {

    @Test
    void everyProgramCompilesAndRunsAsOnTheInterpreter() throws Exception {
        CollectionSpec spec = ObjectLoader.load(Path.of("..", "fixtures", "large", "large.o"));
        assertEquals(240, spec.programs().size());
        var options = LoadOptions.defaults().unverified();
        try (Collection interpreted = new JvmBackend().withCpus(1).withEngine(Engine.INTERPRETER).load(spec, options);
             Collection compiled = new JvmBackend().withCpus(1).withEngine(Engine.JIT).load(spec, options)) {
            List<String> notCompiled = new ArrayList<>();
            for (var program : compiled.programs().values()) {
                if (!(((JvmProgram) program).executable() instanceof JitProgram)) {
                    notCompiled.add(program.name());
                }
            }
            assertEquals(List.of(), notCompiled);
            for (String name : spec.programs().keySet()) {
                for (int length : new int[] {14, 60, 64, 1500}) {
                    assertEquals(run(interpreted, name, length), run(compiled, name, length), name + ", " + length);
                }
            }
            assertEquals(maps(interpreted), maps(compiled));
        }
    }

    private static String run(Collection collection, String program, int length) {
        byte[] packet = new byte[length];
        for (int i = 0; i < length; i++) {
            packet[i] = (byte) (i * 7);
        }
        var result = collection.program(program).testRun(TestRun.of(packet));
        return result.returnValue() + " " + HexFormat.of().formatHex(result.dataOut());
    }

    private static String maps(Collection collection) {
        var out = new StringBuilder();
        for (BpfMap map : collection.maps().values()) {
            out.append(map.name()).append(':');
            for (byte[] key : map.keys()) {
                out.append(' ').append(HexFormat.of().formatHex(key)).append('=')
                        .append(HexFormat.of().formatHex(map.lookup(key).orElseThrow()));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
