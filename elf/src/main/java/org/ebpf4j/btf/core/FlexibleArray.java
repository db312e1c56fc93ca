package org.ebpf4j.btf.core;

import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;

/**
 * A zero-length array that is the last member of its struct ({@code char data[];}) may be indexed past its
 * declared length: the memory after the struct belongs to it.
 */
final class FlexibleArray {
    private FlexibleArray() {
    }

    /** {@code previous} is the step that reached {@code array}: it must be the last member of its composite. */
    static boolean is(Btf btf, Accessor previous, BtfType.Array array) {
        if (array.length() != 0 || !(previous instanceof Accessor.Field field)) {
            return false;
        }
        BtfType.Composite composite = (BtfType.Composite) btf.type(field.compositeId());
        return field.index() == composite.members().size() - 1;
    }
}
