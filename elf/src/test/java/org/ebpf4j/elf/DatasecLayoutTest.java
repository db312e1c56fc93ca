package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.Linkage;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KconfigExtern;
import org.junit.jupiter.api.Test;

/**
 * The loaded object's DATASECs are laid out as libbpf lays them out at open: sizes and offsets from the ELF
 * section headers and symbols (here as llvm-readelf lists them in {@code fixtures/expected/globals.v3.readelf}),
 * {@code .kconfig} from the loader's own extern layout.
 */
class DatasecLayoutTest {
    private static final CollectionSpec GLOBALS = ObjectLoader.load("globals.v3.o", Fixtures.bytes("globals.v3"));
    private static final Btf BTF = GLOBALS.btf().orElseThrow();

    private static BtfType.Datasec datasec(String name) {
        return (BtfType.Datasec) BTF.type(BTF.typeId(name, BtfKind.DATASEC).orElseThrow());
    }

    /** Variable name to offset, in the DATASEC's order. */
    private static Map<String, Long> offsets(BtfType.Datasec datasec) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DatasecVar v : datasec.vars()) {
            out.put(BTF.type(v.type()).name(), v.offset());
        }
        return out;
    }

    @Test
    void sectionsTakeTheirElfSizeAndVariablesTheirSymbolValues() {
        assertEquals(0x2c, datasec(".data").size());
        assertEquals(Map.of("packets", 0L, "histogram", 8L, "hidden_state", 0x28L), offsets(datasec(".data")));
        assertEquals(0x28, datasec(".rodata").size());
        assertEquals(Map.of("max_len", 0L, "limits", 8L), offsets(datasec(".rodata")));
        assertEquals(0x18, datasec(".bss").size());
        assertEquals(Map.of("drops", 0L, "zeroed", 8L), offsets(datasec(".bss")));
        assertEquals(8, datasec(".data.custom").size());
        assertEquals(4, datasec("license").size());
    }

    @Test
    void variablesAreSortedByOffset() {
        for (String name : new String[] {".data", ".rodata", ".bss", ".kconfig"}) {
            var vars = datasec(name).vars();
            for (int i = 1; i < vars.size(); i++) {
                assertEquals(true, vars.get(i - 1).offset() <= vars.get(i).offset(), name + " " + vars);
            }
        }
    }

    @Test
    void kconfigExternsSitWhereTheLoaderPutThemAsAllocatedGlobals() {
        BtfType.Datasec kconfig = datasec(".kconfig");
        assertEquals(GLOBALS.map(".kconfig").valueSize(), kconfig.size());
        Map<String, Long> expected = new LinkedHashMap<>();
        for (KconfigExtern e : GLOBALS.kconfigExterns()) {
            expected.put(e.name(), (long) e.offset());
        }
        assertEquals(expected, offsets(kconfig));
        for (DatasecVar v : kconfig.vars()) {
            assertEquals(Linkage.GLOBAL, ((BtfType.Var) BTF.type(v.type())).linkage());
        }
    }

    @Test
    void typeIdsDoNotMove() {
        assertEquals(GLOBALS.map(".data").btfValueTypeId(), BTF.typeId(".data", BtfKind.DATASEC).orElseThrow());
    }
}
