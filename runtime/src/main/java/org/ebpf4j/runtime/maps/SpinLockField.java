package org.ebpf4j.runtime.maps;

import java.util.Optional;
import org.ebpf4j.api.MapException;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.Member;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * Where a map value's {@code struct bpf_spin_lock} is, read from the value's BTF type as the kernel's
 * {@code btf_parse_fields} finds it: a member (of the value struct or of a struct nested in it) whose type is the
 * struct named {@code bpf_spin_lock}. Only hashes and arrays may hold one; the kernel refuses the others' BTF, and
 * libbpf (like the Linux backend) then creates the map without BTF, so such a map has no lock, as here.
 */
public final class SpinLockField {
    /** The offset of a map without a lock. */
    public static final int NONE = -1;
    static final String TYPE_NAME = "bpf_spin_lock";
    static final int SIZE = 4;

    private SpinLockField() {}

    /** The lock's byte offset in the values of {@code map}, described by {@code btf}, or {@link #NONE}. */
    public static int offset(MapSpec map, Optional<Btf> btf) {
        if (btf.isEmpty() || map.btfValueTypeId() == 0
                || (map.type() != MapType.HASH && map.type() != MapType.ARRAY)) {
            return NONE;
        }
        return find(btf.get(), map.btfValueTypeId(), 0, NONE, map);
    }

    private static int find(Btf btf, int typeId, int base, int found, MapSpec map) {
        if (!(btf.type(btf.resolve(typeId)) instanceof BtfType.Struct struct)) {
            return found;
        }
        for (Member m : struct.members()) {
            if (m.isBitfield()) {
                continue;
            }
            int at = base + (int) (m.bitOffset() / 8);
            if (btf.type(btf.resolve(m.type())) instanceof BtfType.Struct s && s.name().equals(TYPE_NAME)) {
                if (found != NONE) {
                    // The kernel allows one lock per value (btf_parse_fields: E2BIG for a second).
                    throw new MapException(map.name(), "create (two struct bpf_spin_lock in the value, at "
                            + found + " and " + at + ")", Errno.E2BIG);
                }
                found = at;
            } else {
                found = find(btf, m.type(), at, found, map);
            }
        }
        return found;
    }
}
