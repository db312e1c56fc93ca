package org.ebpf4j.spec;

/**
 * The {@code flags} argument of map updates ({@code bpf_map_update_elem}, {@code BPF_MAP_UPDATE_ELEM}) and of lookups
 * that copy values ({@code BPF_F_LOCK}). The first three are exclusive values, not bits; {@code BPF_F_LOCK} is a bit
 * that may be combined with them.
 */
public final class MapUpdateFlags {

    /** Create a new element or update an existing one. */
    public static final int BPF_ANY = 0;
    /** Create only: fail with {@link Errno#EEXIST} when the key exists. */
    public static final int BPF_NOEXIST = 1;
    /** Update only: fail with {@link Errno#ENOENT} when the key does not exist. */
    public static final int BPF_EXIST = 2;
    /** Take the {@code bpf_spin_lock} in the value while copying it. */
    public static final int BPF_F_LOCK = 4;

    private MapUpdateFlags() {
    }
}
