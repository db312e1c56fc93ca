package org.ebpf4j.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.btf.core.CoreRelocator;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapPinning;
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
    /** The map types libbpf creates without key and value types ({@code bpf_object__create_map}). */
    static final Set<MapType> WITHOUT_BTF = EnumSet.of(MapType.PERF_EVENT_ARRAY,
            MapType.CGROUP_ARRAY, MapType.STACK_TRACE, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS, MapType.DEVMAP,
            MapType.DEVMAP_HASH, MapType.CPUMAP, MapType.XSKMAP, MapType.SOCKMAP, MapType.SOCKHASH, MapType.QUEUE,
            MapType.STACK, MapType.ARENA);

    private final CollectionSpec spec;
    private final LoadOptions options;
    private final int possibleCpus;
    private final Map<String, LinuxMap> maps = new LinkedHashMap<>();
    private final Map<String, LinuxProgram> programs = new LinkedHashMap<>();
    private CoreRelocator relocator;
    /** The object's BTF in the kernel, or null when the collection loads without (see {@link #btfAbsence}). */
    private KernelBtf btf;
    private String btfAbsence = "";
    /** Maps taken over from their pin: their contents are not initialised again. */
    private final Set<String> reused = new HashSet<>();
    /** Maps this load pinned by name: unpinned again if the load fails. */
    private final List<LinuxMap> pinnedHere = new ArrayList<>();

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
            new LinuxCollection(loader.programs, loader.maps, "").close();
            loader.unpinWhatThisLoadPinned();
            throw e;
        } finally {
            if (loader.btf != null) {
                loader.btf.close();
            }
        }
    }

    private LinuxCollection loadAll() {
        // As libbpf: BTF the kernel refuses only costs the debug records; the programs and maps load without.
        switch (KernelBtf.load(spec, BtfFeatures.running())) {
            case KernelBtf.Outcome.Loaded loaded -> btf = loaded.btf();
            case KernelBtf.Outcome.Absent absent -> btfAbsence = absent.reason();
        }
        for (MapSpec map : spec.maps().values()) {
            maps.put(map.name(), create(map));
        }
        for (MapSpec map : spec.maps().values()) {
            if (!reused.contains(map.name())) {
                initialise(map);
            }
            pinByName(map);
        }
        for (ProgramSpec program : spec.programs().values()) {
            programs.put(program.name(), load(program));
        }
        for (MapSpec map : spec.maps().values()) {
            fillProgramSlots(map);
        }
        return new LinuxCollection(programs, maps, btfAbsence);
    }

    /**
     * {@code LIBBPF_PIN_BY_NAME}: the map pinned as {@code PIN_ROOT/NAME} (the load options' pin path, else
     * /sys/fs/bpf; '.' in the name as '_') is reused when its attributes are those declared, as libbpf does; it keeps its contents.
     */
    private Optional<Path> pinPath(MapSpec map) {
        if (map.pinning() != MapPinning.BY_NAME) {
            return Optional.empty();
        }
        return Optional.of(options.pinPath().orElse(Bpffs.DEFAULT).resolve(Bpffs.pinName(map.name())));
    }

    private LinuxMap create(MapSpec map) {
        Optional<Path> pin = pinPath(map);
        if (pin.isPresent() && Files.exists(pin.get())) {
            return reuse(map, pin.get());
        }
        return createNew(map);
    }

    private LinuxMap reuse(MapSpec map, Path pin) {
        MapCommands.Definition definition = definition(map, 0);
        Fd fd = ObjectCommands.get(pin);
        try {
            KernelMapInfo pinned = ObjectInfo.map(fd, definition.describe());
            List<String> mismatches = new ArrayList<>();
            compare(mismatches, "type", pinned.typeNumber(), definition.type().value());
            compare(mismatches, "key_size", pinned.keySize(), definition.keySize());
            compare(mismatches, "value_size", pinned.valueSize(), definition.valueSize());
            compare(mismatches, "max_entries", pinned.maxEntries(), definition.maxEntries());
            compare(mismatches, "map_flags", pinned.flags(), definition.flags());
            compare(mismatches, "map_extra", pinned.mapExtra(), definition.mapExtra());
            if (!mismatches.isEmpty()) {
                throw new BpfException(definition.describe() + ": cannot reuse the map pinned at " + pin
                        + ", whose attributes differ: " + String.join(", ", mismatches));
            }
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
        LinuxMap linuxMap = new LinuxMap(definition, fd, possibleCpus);
        linuxMap.pinnedAt(pin);
        reused.add(map.name());
        return linuxMap;
    }

    private static void compare(List<String> mismatches, String field, long pinned, long declared) {
        if (pinned != declared) {
            mismatches.add(field + " " + pinned + " pinned, " + declared + " declared");
        }
    }

    /**
     * Pins a map declared {@code LIBBPF_PIN_BY_NAME} once it holds its initial contents. When another loader
     * pinned the same name in the meantime (EEXIST), that map is reused instead, as libbpf does.
     */
    private void pinByName(MapSpec map) {
        Optional<Path> pin = pinPath(map);
        LinuxMap created = maps.get(map.name());
        if (pin.isEmpty() || reused.contains(map.name())) {
            return;
        }
        try {
            created.pin(pin.get());
            pinnedHere.add(created);
        } catch (LinuxBpfException e) {
            if (e.errno().orElse(null) != Errno.EEXIST) {
                throw e;
            }
            maps.put(map.name(), reuse(map, pin.get()));
            created.close();
        }
    }

    private void unpinWhatThisLoadPinned() {
        for (LinuxMap map : pinnedHere) {
            try {
                map.unpin();
            } catch (RuntimeException ignored) {
                // The load's own failure is what the caller needs to see.
            }
        }
    }

    private LinuxMap createNew(MapSpec map) {
        MapCommands.Definition definition = definition(map, 0);
        if (map.innerMap().isEmpty()) {
            return new LinuxMap(definition, createWithBtfOrWithout(definition), possibleCpus);
        }
        // The kernel reads only the template's shape, at the outer map's creation; the template can go right after.
        try (Fd template = createWithBtfOrWithout(definition(map.innerMap().get(), 0))) {
            MapCommands.Definition outer = definition(map, template.value());
            return new LinuxMap(outer, createWithBtfOrWithout(outer), possibleCpus);
        }
    }

    /** As libbpf: a map the kernel refuses with its BTF types is created again without them. */
    private static Fd createWithBtfOrWithout(MapCommands.Definition definition) {
        if (!definition.hasBtf()) {
            return MapCommands.create(definition);
        }
        try {
            return MapCommands.create(definition);
        } catch (LinuxBpfException withBtf) {
            return MapCommands.create(definition.withoutBtf());
        }
    }

    /**
     * A perf event array declared without {@code max_entries} gets one entry per possible CPU, as in libbpf. Key
     * and value types go with the object's BTF except for the types whose keys and values are not data the kernel
     * could describe (fds, CPUs, sockets, ...) and which libbpf therefore creates without.
     */
    private MapCommands.Definition definition(MapSpec map, int innerMapFd) {
        int maxEntries = map.type() == MapType.PERF_EVENT_ARRAY && map.maxEntries() == 0 ? possibleCpus
                : map.maxEntries();
        boolean typed = btf != null && (map.btfKeyTypeId() != 0 || map.btfValueTypeId() != 0)
                && !WITHOUT_BTF.contains(map.type());
        return new MapCommands.Definition(map.name(), map.type(), map.keySize(), map.valueSize(), maxEntries,
                map.flags(), innerMapFd, map.numaNode(), map.mapExtra(), typed ? btf.fd() : 0,
                typed ? map.btfKeyTypeId() : 0, typed ? map.btfValueTypeId() : 0);
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
                program.expectedAttachType().map(t -> t.value()).orElse(0), AttachBtfIds.of(program),
                Optional.ofNullable(btf).map(b -> b.forProgram(program)));
        ProgramCommands.LoadAttempt.Loaded loaded = ProgramLoader.load(definition, options.logLevel());
        return new LinuxProgram(program, loaded.program(), loaded.log());
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
