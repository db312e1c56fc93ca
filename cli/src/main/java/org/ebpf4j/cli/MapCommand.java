package org.ebpf4j.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.MapException;
import org.ebpf4j.linux.KernelMapInfo;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxMap;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.spec.MapUpdateFlags;
import picocli.CommandLine.Command;

/**
 * {@code ebpf4j map show|list|dump|lookup|update|delete|getnext|freeze MAP ...}: maps as {@code bpftool map} shows
 * and changes them. MAP is {@code id N} or {@code pinned PATH} (kernel maps), or in a batch script {@code NAME/MAP}
 * (a map of a collection the script loaded, on either backend); output and errors are bpftool's.
 */
@Command(name = "map", description = "Maps (like bpftool map): kernel maps by id, a batch script's by NAME/MAP.",
        subcommands = {MapCommand.Show.class, MapCommand.ListMaps.class, MapCommand.Dump.class,
                MapCommand.Lookup.class, MapCommand.Update.class, MapCommand.Delete.class, MapCommand.GetNext.class,
                MapCommand.Freeze.class})
final class MapCommand {
    private MapCommand() {}

    /**
     * {@code show [MAP]}: the kernel's maps as bpftool shows them; in a batch script without MAP, the maps of the
     * collections it loaded (a kernel map with its kernel listing, a JVM map in the same layout, named NAME/MAP).
     */
    @Command(name = "show", description = "Every map, or MAP (id N, pinned PATH, NAME/MAP), as bpftool map show.")
    static class Show extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            if (!words.hasNext() && session.batch()) {
                ObjectListings.maps(session, null, json, out);
                return;
            }
            String first = words.peek();
            if (first != null && first.contains("/")) {
                ObjectListings.maps(session, words.next("NAME/MAP"), json, out);
                words.expectEnd();
                return;
            }
            LinuxBackend.open();
            KernelListing.show(KernelListing.MAPS, KernelListing.requestedId(KernelListing.MAPS, words), json, out);
        }
    }

    @Command(name = "list", description = "The same as show.")
    static final class ListMaps extends Show {
    }

    /** Every element as bpftool dumps it: described by the map's BTF types when it has them, else in hex. */
    @Command(name = "dump", description = "Every key and value of MAP (like bpftool map dump).")
    static final class Dump extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            try (Session.MapTarget t = session.map(words)) {
                words.expectEnd();
                print(new MapElements(t.map(), t.types()).dump(json));
            }
        }
    }

    /** {@code lookup MAP key DATA [lock]}: one element; a missing key is bpftool's "lookup failed" error. */
    @Command(name = "lookup", description = "The value of a key: MAP key [hex] BYTES [lock].")
    static final class Lookup extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            try (Session.MapTarget t = session.map(words)) {
                byte[] key = key(words, t.map());
                long flags = words.accept("lock") ? MapUpdateFlags.BPF_F_LOCK : 0;
                words.expectEnd();
                MapElements elements = new MapElements(t.map(), t.types());
                Optional<MapElements.Element> e;
                try {
                    e = elements.read(key, flags);
                } catch (MapException failed) {
                    throw BpftoolError.of("lookup failed", failed);
                }
                if (e.isEmpty()) {
                    throw new BpftoolError("lookup failed: " + org.ebpf4j.spec.Errno.ENOENT.description());
                }
                print(elements.lookup(e.get(), json));
            }
        }
    }

    /**
     * {@code update MAP key DATA value DATA [any|noexist|exist] [lock]}: a per-CPU map gets the value on every CPU,
     * as bpftool gives it.
     */
    @Command(name = "update", description = "Sets a value: MAP key [hex] BYTES value [hex] BYTES"
            + " [any|noexist|exist] [lock].")
    static final class Update extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            try (Session.MapTarget t = session.map(words)) {
                BpfMap map = t.map();
                byte[] key = key(words, map);
                if (!words.accept("value")) {
                    throw new BpftoolError("did not find value");
                }
                byte[] value = words.bytes("value", map.valueSize());
                long flags = MapUpdateFlags.BPF_ANY;
                while (words.hasNext()) {
                    String word = words.next("a flag");
                    flags = switch (word) {
                        case "any" -> flags & MapUpdateFlags.BPF_F_LOCK;
                        case "noexist" -> (flags & MapUpdateFlags.BPF_F_LOCK) | MapUpdateFlags.BPF_NOEXIST;
                        case "exist" -> (flags & MapUpdateFlags.BPF_F_LOCK) | MapUpdateFlags.BPF_EXIST;
                        case "lock" -> flags | MapUpdateFlags.BPF_F_LOCK;
                        default -> throw new BpftoolError("expected any, noexist, exist or lock, got: " + word);
                    };
                }
                try {
                    if (MapElements.perCpu(map)) {
                        map.updatePerCpu(key, Collections.nCopies(cpus(map), value), flags);
                    } else {
                        map.update(key, value, flags);
                    }
                } catch (MapException failed) {
                    throw BpftoolError.of("update failed", failed);
                }
                if (json) {
                    print("null\n");
                }
            }
        }
    }

    @Command(name = "delete", description = "Deletes a key: MAP key [hex] BYTES.")
    static final class Delete extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            try (Session.MapTarget t = session.map(words)) {
                byte[] key = key(words, t.map());
                words.expectEnd();
                boolean deleted;
                try {
                    deleted = t.map().delete(key);
                } catch (MapException failed) {
                    throw BpftoolError.of("delete failed", failed);
                }
                if (!deleted) {
                    throw new BpftoolError("delete failed: " + org.ebpf4j.spec.Errno.ENOENT.description());
                }
                if (json) {
                    print("null\n");
                }
            }
        }
    }

    @Command(name = "getnext", description = "The key after a key, or the first: MAP [key [hex] BYTES].")
    static final class GetNext extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            try (Session.MapTarget t = session.map(words)) {
                byte[] key = words.hasNext() ? key(words, t.map()) : null;
                words.expectEnd();
                Optional<byte[]> next;
                try {
                    next = t.map().nextKey(key);
                } catch (MapException failed) {
                    throw BpftoolError.of("can't get next key", failed);
                }
                if (next.isEmpty()) {
                    throw new BpftoolError("can't get next key: " + org.ebpf4j.spec.Errno.ENOENT.description());
                }
                print(MapElements.nextKey(key, next.get(), json));
            }
        }
    }

    @Command(name = "freeze", description = "Makes MAP read-only to user space (BPF_MAP_FREEZE).")
    static final class Freeze extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            try (Session.MapTarget t = session.map(words)) {
                words.expectEnd();
                try {
                    t.map().freeze();
                } catch (MapException failed) {
                    throw BpftoolError.of("failed to freeze map", failed);
                }
                if (json) {
                    print("null\n");
                }
            }
        }
    }

    private static byte[] key(Words words, BpfMap map) {
        if (!words.accept("key")) {
            throw new BpftoolError("did not find key");
        }
        return words.bytes("key", map.keySize());
    }

    /** How many values a per-CPU map holds per key. */
    private static int cpus(BpfMap map) {
        if (map instanceof JvmMap m) {
            return m.cpus();
        }
        return LinuxBackend.open().possibleCpus();
    }

    /** The fields {@code map show} prints for a map of a loaded collection, as the kernel's listing has them. */
    static KernelMapInfo info(BpfMap map) {
        if (map instanceof LinuxMap m) {
            return m.info();
        }
        boolean frozen = map instanceof JvmMap m && m.frozen();
        return new KernelMapInfo(0, map.type().value(), map.name(), map.keySize(), map.valueSize(),
                map.maxEntries(), map.flags(), 0, 0, 0, 0, -1, frozen);
    }
}
