package org.ebpf4j.runtime.backend;

import java.util.Collections;
import java.util.Map;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.Program;
import org.ebpf4j.runtime.maps.JvmMap;

/** A collection loaded into this JVM; closing it closes its programs, then its maps. */
final class JvmCollection implements Collection {
    private final Map<String, Program> programs;
    private final Map<String, BpfMap> maps;

    JvmCollection(Map<String, JvmProgram> programs, Map<String, JvmMap> maps) {
        this.programs = Collections.unmodifiableMap(programs);
        this.maps = Collections.unmodifiableMap(maps);
    }

    @Override
    public Map<String, Program> programs() {
        return programs;
    }

    @Override
    public Map<String, BpfMap> maps() {
        return maps;
    }

    @Override
    public void close() {
        programs.values().forEach(Program::close);
        maps.values().forEach(BpfMap::close);
    }
}
