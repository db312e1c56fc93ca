package org.ebpf4j.api;

import java.util.Map;

/** A loaded collection: its programs and maps by name. Closing it closes every program and map it holds. */
public interface Collection extends AutoCloseable {
    Map<String, Program> programs();

    Map<String, BpfMap> maps();

    default Program program(String name) {
        Program p = programs().get(name);
        if (p == null) {
            throw new IllegalArgumentException("no program '" + name + "'; the collection has " + programs().keySet());
        }
        return p;
    }

    default BpfMap map(String name) {
        BpfMap m = maps().get(name);
        if (m == null) {
            throw new IllegalArgumentException("no map '" + name + "'; the collection has " + maps().keySet());
        }
        return m;
    }

    @Override
    void close();
}
