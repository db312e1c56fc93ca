package org.ebpf4j.spec;

import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ebpf4j.btf.Btf;

/**
 * Everything one object file asks to load: its programs and maps by name, the {@code __kconfig} externs a backend
 * fills in, and its BTF. Pure data, independent of any backend; programs refer to maps by name.
 */
public record CollectionSpec(String name, Map<String, ProgramSpec> programs, Map<String, MapSpec> maps,
                             List<KconfigExtern> kconfigExterns, Optional<Btf> btf, ByteOrder byteOrder) {

    public CollectionSpec {
        Objects.requireNonNull(name);
        programs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        maps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(maps));
        kconfigExterns = List.copyOf(kconfigExterns);
        Objects.requireNonNull(btf);
        Objects.requireNonNull(byteOrder);
    }

    public ProgramSpec program(String programName) {
        ProgramSpec p = programs.get(programName);
        if (p == null) {
            throw new IllegalArgumentException(name + " has no program '" + programName + "'; it has "
                    + programs.keySet());
        }
        return p;
    }

    public MapSpec map(String mapName) {
        MapSpec m = maps.get(mapName);
        if (m == null) {
            throw new IllegalArgumentException(name + " has no map '" + mapName + "'; it has " + maps.keySet());
        }
        return m;
    }
}
