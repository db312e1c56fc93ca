package org.ebpf4j.btf.core;

import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.IntEncoding;

/**
 * When a field's size differs between the object and the target, a load of it may change width only where the
 * value stays right: pointers (a 32-bit kernel's pointers read as zero-extended integers) and unsigned integers
 * (zero extension keeps the value). A signed or any other field read at another width would be wrong.
 */
final class MemorySizeChange {
    private MemorySizeChange() {
    }

    static boolean safe(Btf local, int localTypeId, Btf target, int targetTypeId) {
        BtfType l = BtfLookup.typeOrVoid(local, localTypeId);
        BtfType t = BtfLookup.typeOrVoid(target, targetTypeId);
        if (l instanceof BtfType.Ptr && t instanceof BtfType.Ptr) {
            return true;
        }
        return l instanceof BtfType.Int li && t instanceof BtfType.Int ti
                && li.encoding() != IntEncoding.SIGNED && ti.encoding() != IntEncoding.SIGNED;
    }
}
