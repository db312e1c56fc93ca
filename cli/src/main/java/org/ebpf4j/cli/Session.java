package org.ebpf4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.Program;
import org.ebpf4j.linux.KernelObjects;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxMap;
import org.ebpf4j.spec.CollectionSpec;

/**
 * What the commands of one process share: the collections a batch script loaded, by name, and how a command finds
 * the map or program it names. {@code NAME/MAP} and {@code NAME/PROG} name objects of a loaded collection (JVM or
 * kernel), {@code id N} and {@code pinned PATH} kernel maps, as bpftool names them. Outside a batch script nothing
 * is loaded, so only kernel objects can be named.
 */
final class Session implements AutoCloseable {
    /**
     * A collection loaded under {@code name}.
     *
     * @param spec the object as loaded (global variables set): its BTF describes the maps
     * @param layout where the object's global variables are, for BTF-described global data
     * @param where "the jvm backend (interpreter)", "the kernel backend"
     */
    record Loaded(String name, Path object, CollectionSpec spec, GlobalDataLayout layout, Collection collection,
                  String where, boolean kernel) {}

    /** A map a command named, and whether the command opened it (and must close it). */
    record MapTarget(BpfMap map, MapElements.Types types, String label, boolean opened) implements AutoCloseable {
        @Override
        public void close() {
            if (opened) {
                map.close();
            }
        }
    }

    /** A command that runs in a session: picocli's factory ({@link SessionCommand#factory}) gives it one. */
    interface User {
        void use(Session session);
    }

    /** Standalone commands: nothing loaded. */
    static final Session NONE = new Session(false);

    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final boolean batch;
    /** Where trace_printk lines of JVM programs go: set by {@code run} for the capture it runs. */
    private volatile java.util.function.Consumer<String> trace;

    Session(boolean batch) {
        this.batch = batch;
    }

    boolean batch() {
        return batch;
    }

    void add(Loaded collection) {
        if (loaded.containsKey(collection.name())) {
            collection.collection().close();
            throw new CliException("a collection named '" + collection.name() + "' is already loaded");
        }
        loaded.put(collection.name(), collection);
    }

    List<Loaded> loaded() {
        return List.copyOf(loaded.values());
    }

    /** The loaded collection {@code name} of a {@code NAME/OBJECT} reference. */
    Loaded collection(String name) {
        Loaded l = loaded.get(name);
        if (l == null) {
            throw new BpftoolError(batch ? "no collection '" + name + "' is loaded (load FILE.o " + name + " first)"
                    + (loaded.isEmpty() ? "" : "; loaded: " + loaded.keySet())
                    : name + "/... names a collection loaded by a batch script (ebpf4j batch); outside one, name"
                    + " kernel maps by id N or pinned PATH");
        }
        return l;
    }

    /** {@code id N}, {@code pinned PATH}, {@code NAME/MAP}, or a bare id (as {@code map dump ID} always took). */
    MapTarget map(Words words) {
        String first = words.next("MAP (id N, pinned PATH or NAME/MAP)");
        if (first.equals("id") || first.chars().allMatch(Character::isDigit)) {
            int id = first.equals("id") ? words.number("map id") : Integer.parseInt(first);
            LinuxBackend.open();
            LinuxMap map;
            try {
                map = KernelObjects.openMap(id);
            } catch (RuntimeException e) {
                throw new BpftoolError("get map by id (" + id + "): " + e.getMessage());
            }
            return kernelTarget(map, "id " + id);
        }
        if (first.equals("pinned")) {
            Path path = Path.of(words.next("a pinned path"));
            LinuxBackend.open();
            LinuxMap map;
            try {
                map = KernelObjects.openPinnedMap(path);
            } catch (RuntimeException e) {
                throw new BpftoolError("open pinned map " + path + ": " + e.getMessage());
            }
            return kernelTarget(map, "pinned " + path);
        }
        String[] parts = reference(first, "MAP");
        Loaded l = collection(parts[0]);
        BpfMap map = l.collection().maps().get(parts[1]);
        if (map == null) {
            throw new BpftoolError("no map '" + parts[1] + "' in " + parts[0] + "; it has "
                    + l.collection().maps().keySet());
        }
        return new MapTarget(map, MapElements.Types.of(l.spec(), parts[1]), first, false);
    }

    private static MapTarget kernelTarget(LinuxMap map, String label) {
        try {
            return new MapTarget(map, MapElements.Types.of(map.info()), label, true);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** {@code NAME/PROG} of a loaded collection. */
    Program program(String reference) {
        String[] parts = reference(reference, "PROG");
        Loaded l = collection(parts[0]);
        Program p = l.collection().programs().get(parts[1]);
        if (p == null) {
            throw new BpftoolError("no program '" + parts[1] + "' in " + parts[0] + "; it has "
                    + l.collection().programs().keySet());
        }
        return p;
    }

    private static String[] reference(String word, String object) {
        int slash = word.indexOf('/');
        if (slash <= 0 || slash == word.length() - 1 || word.indexOf('/', slash + 1) >= 0) {
            throw new BpftoolError("expected NAME/" + object + " (a loaded collection and its " + object.toLowerCase()
                    + "), got: " + word);
        }
        return new String[] {word.substring(0, slash), word.substring(slash + 1)};
    }

    /** The sink of the JVM programs a script loads: the current capture run's, else stderr. */
    void trace(String line, java.io.PrintWriter err) {
        var sink = trace;
        if (sink != null) {
            sink.accept(line);
        } else {
            err.print(line.endsWith("\n") ? line : line + "\n");
            err.flush();
        }
    }

    void traceTo(java.util.function.Consumer<String> sink) {
        this.trace = sink;
    }

    /** Closes every loaded collection: JVM maps go away, kernel objects are freed with their last fd. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Loaded l : loaded.values()) {
            try {
                l.collection().close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        loaded.clear();
        if (first != null) {
            throw first;
        }
    }
}
