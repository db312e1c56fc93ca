package org.ebpf4j.btf.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfExt;
import org.ebpf4j.btf.CoreRelo;
import org.ebpf4j.elf.ElfFile;
import org.ebpf4j.elf.Section;
import org.ebpf4j.elf.Symbol;
import org.ebpf4j.elf.SymbolSection;
import org.ebpf4j.elf.SymbolType;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.ProgramSpec.CoreRelocation;

/**
 * A committed object's functions with their CO-RE relocations, slots counted from each function's start as libbpf
 * counts them in its log. The object loader will produce the same from linked programs; this test-only reader keeps
 * these tests independent of it.
 */
record CoreObject(Btf btf, List<Function> functions) {

    record Function(String name, String section, Instructions instructions, List<CoreRelocation> relocations) {}

    static final Path RESOURCES = Path.of("src", "test", "resources");

    static CoreObject read(Path path) {
        try {
            ElfFile elf = ElfFile.read(path);
            Btf btf = Btf.parse(elf.bytes(elf.section(".BTF").orElseThrow()));
            BtfExt ext = BtfExt.parse(elf.bytes(elf.section(".BTF.ext").orElseThrow()), btf);
            List<Function> functions = new ArrayList<>();
            for (Symbol symbol : elf.symbols()) {
                if (symbol.type() != SymbolType.FUNC || !(symbol.section() instanceof SymbolSection.Index index)) {
                    continue;
                }
                Section section = elf.section(index.index());
                byte[] code = Arrays.copyOfRange(elf.bytes(section), (int) symbol.value(),
                        (int) (symbol.value() + symbol.size()));
                List<CoreRelocation> relocations = new ArrayList<>();
                for (CoreRelo relo : ext.coreRelos(section.name())) {
                    long offset = relo.insnOffset() - symbol.value();
                    if (offset >= 0 && offset < symbol.size()) {
                        relocations.add(new CoreRelocation((int) (offset / 8), relo.kind(), relo.type(),
                                relo.accessString()));
                    }
                }
                functions.add(new Function(elf.symbolName(symbol), section.name(),
                        Instructions.decode(code, elf.byteOrder()), relocations));
            }
            return new CoreObject(btf, functions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CoreObject resource(String path) {
        return read(RESOURCES.resolve(path));
    }

    static Btf targetBtf() {
        try {
            return Btf.parse(java.nio.file.Files.readAllBytes(RESOURCES.resolve("core/obj/target.btf")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Function function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
