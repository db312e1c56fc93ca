package org.ebpf4j.linux;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.Program;

/** A collection loaded into the kernel. Closing it closes every program, then every map. */
public final class LinuxCollection implements Collection {
    private final Map<String, Program> programs;
    private final Map<String, BpfMap> maps;
    private final String btfAbsence;

    LinuxCollection(Map<String, LinuxProgram> programs, Map<String, LinuxMap> maps, String btfAbsence) {
        this.programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        this.maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
        this.btfAbsence = btfAbsence;
    }

    /**
     * Why the collection was loaded without its BTF (no {@code .BTF}, or the kernel refused it: its log's reason),
     * or empty when the kernel has it, with the programs' func_info and line_info.
     */
    public Optional<String> loadedWithoutBtfBecause() {
        return btfAbsence.isEmpty() ? Optional.empty() : Optional.of(btfAbsence);
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
        List<AutoCloseable> all = new ArrayList<>(programs.values());
        all.addAll(maps.values());
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c + " failed", e);
            }
        }
    }
}
