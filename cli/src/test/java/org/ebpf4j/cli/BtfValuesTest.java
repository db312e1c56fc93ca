package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.junit.jupiter.api.Test;

/** Global data read through the object's BTF, in both byte orders. */
class BtfValuesTest {
    private static Map<String, String> formatted(String object) throws Exception {
        Path file = Path.of("..", "fixtures", "obj", object);
        CollectionSpec spec = ObjectLoader.load(file);
        GlobalDataLayout layout = GlobalDataLayout.of(file);
        Map<String, String> out = new LinkedHashMap<>();
        for (MapSpec map : spec.maps().values()) {
            if (map.origin() == MapSpec.Origin.GLOBAL_DATA) {
                byte[] value = ((MapSpec.MapEntry.Bytes) map.contents().getFirst()).value();
                out.put(map.name(), MapDump.Types.of(spec, layout, map.name()).value(value));
            }
        }
        return out;
    }

    @Test
    void globalDataReadsAsItsVariables() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(".data", "{packets: 1, histogram: [1, 2, 3, 0, 0, 0, 0, 0], hidden_state: 5}");
        expected.put(".rodata", "{max_len: 1500, limits: [1, 10, 100, 1000]}");
        expected.put(".data.custom", "{custom_counter: 42}");
        expected.put(".rodata.custom", "{custom_const: 7}");
        expected.put(".bss", "{drops: 0, zeroed: {a: 0, b: 0}}");
        Map<String, String> little = formatted("globals.v3.o");
        little.keySet().retainAll(expected.keySet());
        assertEquals(expected, little);
        Map<String, String> big = formatted("globals.bpfeb.v3.o");
        big.keySet().retainAll(expected.keySet());
        assertEquals(expected, big);
    }

    @Test
    void setWritesAVariableWhereItsSymbolSays() throws Exception {
        // hidden_state is at offset 40 of .data, though the object's DATASEC says 0 for every variable.
        Path file = Path.of("..", "fixtures", "obj", "globals.v3.o");
        GlobalDataLayout layout = GlobalDataLayout.of(file);
        CollectionSpec spec = GlobalVariables.set(ObjectLoader.load(file), layout, Map.of("hidden_state", "9"));
        assertEquals("{packets: 1, histogram: [1, 2, 3, 0, 0, 0, 0, 0], hidden_state: 9}", MapDump.Types.of(spec,
                layout, ".data").value(((MapSpec.MapEntry.Bytes) spec.map(".data").contents().getFirst()).value()));
        // max_len is unsigned: -1 is out of range.
        CliException e = assertThrows(CliException.class, () -> GlobalVariables.set(ObjectLoader.load(file), layout,
                Map.of("max_len", "-1")));
        assertEquals("--set max_len=-1: out of range for an unsigned 4-byte variable [0, 4294967295]", e.getMessage());
    }

    @Test
    void theExamplesMapsReadAsTheirCTypes() throws Exception {
        CollectionSpec spec = ObjectLoader.load(CaptureRunGroundTruthTest.EXAMPLE);
        GlobalDataLayout layout = GlobalDataLayout.of(CaptureRunGroundTruthTest.EXAMPLE);
        MapDump.Types protocols = MapDump.Types.of(spec, layout, "protocols");
        byte[] counter = new byte[16];
        counter[0] = 3;
        counter[8] = (byte) 0xb4;
        counter[9] = 0x05;
        assertEquals("{packets: 3, bytes: 1460}", protocols.value(counter));
        assertEquals("7", protocols.key(new byte[] {7, 0, 0, 0}));
        byte[] address = new byte[16];
        address[15] = 1;
        assertEquals("{in6_u: {u6_addr8: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]}}",
                MapDump.Types.of(spec, layout, "sources").key(address));
        assertEquals("{drop_port: 23, ports_verdict.____fmt: \"xdp_stats: drop proto %d dport %d\"}",
                MapDump.Types.of(spec, layout, ".rodata").value(((MapSpec.MapEntry.Bytes) spec.map(".rodata").contents()
                        .getFirst()).value()));
    }
}
