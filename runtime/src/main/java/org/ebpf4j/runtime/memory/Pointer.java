package org.ebpf4j.runtime.memory;

/**
 * The layout of a BPF pointer in ebpf4j: {@code region id << 32 | offset}. The high half selects a {@link Region}
 * in the running program's {@link AddressSpace}, the low half is an unsigned byte offset into it. Pointer
 * arithmetic inside a region, comparisons and subtraction ({@code data_end - data}) therefore behave as in the
 * kernel; an offset that leaves the region fails the bounds check of the next access.
 *
 * <p>Region id 0 is never mapped, so 0 is the null pointer. Ids from 1 belong to each invocation's
 * {@link AddressSpace} (stack frames, inputs); ids from {@link SharedRegions#FIRST_ID} are shared by every
 * invocation (map values). {@link #MAP_HANDLE_REGION} tags map handles (lddw with BPF_PSEUDO_MAP_FD): helpers
 * resolve them, programs never dereference them. {@link #CODE_REGION} is reserved for subprogram addresses (lddw
 * with BPF_PSEUDO_FUNC): they can be called through {@code callx} but never dereferenced.
 */
public final class Pointer {
    private Pointer() {}

    public static final long NULL = 0;

    /** Region id of subprogram addresses; no data region ever gets it. */
    public static final int CODE_REGION = 0x7fff_ffff;

    /** Region id of map handles: the offset is the map's id; no region is ever mapped here. */
    public static final int MAP_HANDLE_REGION = 0x7fff_fffe;

    public static long of(int regionId, int offset) {
        return ((long) regionId << 32) | (offset & 0xffff_ffffL);
    }

    public static int regionId(long pointer) {
        return (int) (pointer >>> 32);
    }

    public static int offset(long pointer) {
        return (int) pointer;
    }

    /** The address of the subprogram that starts at an instruction slot. */
    public static long code(int slot) {
        return of(CODE_REGION, slot);
    }

    public static boolean isCode(long pointer) {
        return regionId(pointer) == CODE_REGION;
    }

    public static String format(long pointer) {
        return String.format("0x%x", pointer);
    }
}
