package org.ebpf4j.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.btf.core.CoreRelocator;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapSpec.MapEntry;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/**
 * Loads one collection, in the order the kernel needs: every map created; global data, {@code .kconfig} and
 * map-in-map slots written, then frozen maps frozen (the verifier reads a frozen {@code .rodata} as constants);
 * each program CO-RE-relocated against the kernel's BTF, its map fds patched in, loaded; last, prog-array slots
 * filled with the loaded programs. On any failure everything created so far is closed.
 */
final class CollectionLoader {
    private final CollectionSpec spec;
    private final LoadOptions options;
    private final int possibleCpus;
    private final Map<String, LinuxMap> maps = new LinkedHashMap<>();
    private final Map<String, LinuxProgram> programs = new LinkedHashMap<>();
    private CoreRelocator relocator;

    private CollectionLoader(CollectionSpec spec, LoadOptions options) {
        this.spec = spec;
        this.options = options;
        this.possibleCpus = RunningKernel.possibleCpus();
    }

    static LinuxCollection load(CollectionSpec spec, LoadOptions options) {
        if (spec.byteOrder() != ByteOrder.nativeOrder()) {
            throw new BpfException(spec.name() + " is a " + spec.byteOrder() + " object; this kernel runs "
                    + ByteOrder.nativeOrder() + " programs only");
        }
        CollectionLoader loader = new CollectionLoader(spec, options);
        try {
            return loader.loadAll();
        } catch (RuntimeException e) {
            new LinuxCollection(loader.programs, loader.maps).close();
            throw e;
        }
    }

    private LinuxCollection loadAll() {
        for (MapSpec map : spec.maps().values()) {
            maps.put(map.name(), create(map));
        }
        for (MapSpec map : spec.maps().values()) {
            initialise(map);
        }
        for (ProgramSpec program : spec.programs().values()) {
            programs.put(program.name(), load(program));
        }
        for (MapSpec map : spec.maps().values()) {
            fillProgramSlots(map);
        }
        return new LinuxCollection(programs, maps);
    }

    private LinuxMap create(MapSpec map) {
        MapCommands.Definition definition = definition(map, 0);
        if (map.innerMap().isEmpty()) {
            return new LinuxMap(definition, MapCommands.create(definition), possibleCpus);
        }
        // The kernel reads only the template's shape, at the outer map's creation; the template can go right after.
        try (Fd template = MapCommands.create(definition(map.innerMap().get(), 0))) {
            MapCommands.Definition outer = definition(map, template.value());
            return new LinuxMap(outer, MapCommands.create(outer), possibleCpus);
        }
    }

    /** A perf event array declared without {@code max_entries} gets one entry per possible CPU, as in libbpf. */
    private MapCommands.Definition definition(MapSpec map, int innerMapFd) {
        int maxEntries = map.type() == MapType.PERF_EVENT_ARRAY && map.maxEntries() == 0 ? possibleCpus
                : map.maxEntries();
        return new MapCommands.Definition(map.name(), map.type(), map.keySize(), map.valueSize(), maxEntries,
                map.flags(), innerMapFd, map.numaNode(), map.mapExtra());
    }

    private void initialise(MapSpec map) {
        LinuxMap created = maps.get(map.name());
        if (map.origin() == MapSpec.Origin.KCONFIG) {
            String release = RunningKernel.release();
            byte[] value = KconfigValues.of(spec, map, options.kconfig(), KernelConfig.read(release), release);
            created.update(u32(0), value, MapUpdateFlags.BPF_ANY);
        }
        for (MapEntry entry : map.contents()) {
            switch (entry) {
                case MapEntry.Bytes bytes -> created.update(bytes.key(), bytes.value(), MapUpdateFlags.BPF_ANY);
                case MapEntry.Map inner -> created.update(u32(inner.index()), u32(map(inner.mapName()).fd().value()),
                        MapUpdateFlags.BPF_ANY);
                case MapEntry.Program ignored -> {
                    // Filled once the programs are loaded.
                }
            }
        }
        if (map.frozen()) {
            created.freeze();
        }
    }

    private void fillProgramSlots(MapSpec map) {
        for (MapEntry entry : map.contents()) {
            if (entry instanceof MapEntry.Program(int index, String programName)) {
                LinuxProgram program = programs.get(programName);
                if (program == null) {
                    throw new BpfException("map '" + map.name() + "' slot " + index + " holds program '"
                            + programName + "', which " + spec.name() + " does not have");
                }
                maps.get(map.name()).update(u32(index), u32(program.fd().value()), MapUpdateFlags.BPF_ANY);
            }
        }
    }

    private LinuxProgram load(ProgramSpec program) {
        if (program.type() == ProgramType.EXT || program.type() == ProgramType.STRUCT_OPS) {
            throw new BpfException("program '" + program.name() + "' is " + program.type().kernelName()
                    + ": it loads against a target program or a struct_ops map, which this backend does not support"
                    + " yet");
        }
        Instructions code = program.instructions();
        if (!program.coreRelocations().isEmpty()) {
            code = relocator(program).relocate(code, program.coreRelocations());
        }
        code = MapFdPatcher.patch(program, code, name -> map(name).fd().value());
        var definition = new ProgramCommands.Definition(program.name(), program.type(), code, program.license(),
                program.kernelVersion(), program.loadFlags(),
                program.expectedAttachType().map(t -> t.value()).orElse(0), AttachBtfIds.of(program));
        return new LinuxProgram(program, ProgramLoader.load(definition, options.logLevel()));
    }

    private CoreRelocator relocator(ProgramSpec program) {
        if (relocator == null) {
            String who = "program '" + program.name() + "' (CO-RE relocations)";
            var local = spec.btf().orElseThrow(() -> new BpfException(who + ": " + spec.name()
                    + " has CO-RE relocations but no BTF"));
            relocator = new CoreRelocator(local, RunningKernel.requireVmlinuxBtf(who));
        }
        return relocator;
    }

    private LinuxMap map(String name) {
        return Optional.ofNullable(maps.get(name)).orElseThrow(() -> new BpfException(spec.name()
                + " refers to map '" + name + "', which it does not declare"));
    }

    /** A 4-byte key, or a 4-byte fd value: what array indexes, prog arrays and map-in-maps take. */
    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
