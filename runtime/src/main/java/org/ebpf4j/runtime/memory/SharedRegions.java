package org.ebpf4j.runtime.memory;

import java.util.Arrays;

/**
 * Regions that every invocation addresses under the same id: map values today. Ids are handed out from
 * {@link #FIRST_ID} upwards, far above the ids an {@link AddressSpace} gives its own regions (stack frames and
 * inputs count up from 1), so a pointer into a map means the same thing in every invocation on every thread.
 *
 * <p>The registry is append-only: an id is never reused, so a pointer kept after its region was released can
 * never alias newer memory; it faults ("no region is mapped there"). Readers see the table through one volatile
 * read and a plain array load, without locking; registration and release copy the table under a lock (they happen
 * when maps are created and closed, not while programs run).
 */
public final class SharedRegions {
    private SharedRegions() {}

    /** The first shared id: ids below it belong to each invocation's own address space. */
    public static final int FIRST_ID = 0x4000_0000;
    /** One past the last shared id: {@link Pointer#MAP_HANDLE_REGION} and {@link Pointer#CODE_REGION} follow. */
    private static final int END_ID = Pointer.MAP_HANDLE_REGION;

    private static final Object LOCK = new Object();
    private static volatile Region[] table = new Region[64];
    private static int next;

    /** Makes a region addressable by every invocation; returns its id. */
    public static int register(Region region) {
        synchronized (LOCK) {
            if (next == END_ID - FIRST_ID) {
                throw new IllegalStateException("every shared region id has been used");
            }
            Region[] t = table;
            if (next == t.length) {
                t = Arrays.copyOf(t, t.length * 2);
            }
            t[next] = region;
            table = t; // publishes the region before its id escapes
            return FIRST_ID + next++;
        }
    }

    /** Unmaps a region: pointers into it fault from now on. Its id is not reused. */
    public static void release(int id) {
        synchronized (LOCK) {
            Region[] t = table.clone();
            t[id - FIRST_ID] = null;
            table = t;
        }
    }

    /** The region with this id, or null. */
    public static Region get(int id) {
        if (id < FIRST_ID) {
            return null;
        }
        Region[] t = table;
        int index = id - FIRST_ID;
        return index < t.length ? t[index] : null;
    }
}
