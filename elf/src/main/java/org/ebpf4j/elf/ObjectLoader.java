package org.ebpf4j.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfExt;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;

/**
 * Reads a clang-compiled BPF object into a {@link CollectionSpec}, as libbpf opens one: programs from the
 * executable sections (typed by their section names), their {@code .text} subprograms linked in, maps from
 * {@code .maps} (BTF), the legacy {@code maps} section and the global data sections, and every map reference kept
 * symbolic.
 *
 * <p>Every problem with the input is a {@link org.ebpf4j.isa.BpfException} naming the file, the section and the
 * offset: {@link ElfFormatException} for the ELF structure, {@link org.ebpf4j.btf.BtfFormatException} for BTF,
 * {@link ObjectLoadException} for what the object asks that cannot be loaded.
 */
public final class ObjectLoader {
    private ObjectLoader() {}

    public static CollectionSpec load(Path file) throws IOException {
        return load(file.getFileName().toString(), Files.readAllBytes(file));
    }

    public static CollectionSpec load(String name, byte[] bytes) {
        ElfFile elf = ElfFile.read(name, bytes);
        Optional<Btf> btf = elf.section(".BTF").map(s -> Btf.parse(elf.bytes(s)));
        Optional<BtfExt> btfExt = btf.flatMap(b -> elf.section(".BTF.ext").map(s -> BtfExt.parse(elf.bytes(s), b)));

        MapCatalog maps = MapCatalog.read(elf, btf);
        ObjectInfo info = new ObjectInfo(license(elf), kernelVersion(elf));
        Map<String, ProgramSpec> programs = new ProgramLinker(elf, btf, btfExt, maps, info).linkAll();

        Map<String, MapSpec> mapSpecs = new LinkedHashMap<>();
        for (MapSpec m : maps.specs(programs.keySet())) {
            mapSpecs.put(m.name(), m);
        }
        int kconfigSize = Optional.ofNullable(mapSpecs.get(".kconfig")).map(MapSpec::valueSize).orElse(0);
        Optional<Btf> laidOut = DatasecLayout.apply(elf, btf, maps.kconfigExterns(), kconfigSize);
        return new CollectionSpec(stripExtension(name), programs, mapSpecs, maps.kconfigExterns(), laidOut,
                elf.byteOrder());
    }

    /** The object-wide facts every program inherits. */
    record ObjectInfo(String license, int kernelVersion) {}

    private static String license(ElfFile elf) {
        return elf.section("license").map(s -> {
            byte[] bytes = elf.bytes(s);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            return new String(bytes, 0, end, StandardCharsets.US_ASCII);
        }).orElse("");
    }

    private static int kernelVersion(ElfFile elf) {
        return elf.section("version").map(s -> {
            if (s.size() != 4) {
                throw new ObjectLoadException(elf.name(), s.describe(),
                        "the version section holds " + s.size() + " bytes, not a 4-byte kernel version");
            }
            ByteBuffer b = elf.contents(s);
            return b.getInt(0);
        }).orElse(0);
    }

    private static String stripExtension(String name) {
        return name.endsWith(".o") ? name.substring(0, name.length() - 2) : name;
    }
}
