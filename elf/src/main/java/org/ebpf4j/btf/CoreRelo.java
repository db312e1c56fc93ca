package org.ebpf4j.btf;

import java.util.List;

/**
 * A {@code .BTF.ext} CO-RE relocation: the instruction at {@code insnOffset} (bytes from the start of
 * {@code section} in an object file) needs a value of kind {@code kind} about local type {@code type}, reached by
 * {@code accessString} ("0:1:2": first the index through the root pointer, then member or array indices; for enum
 * value kinds the enumerator's index; "0" for type kinds). {@code access} is that string parsed.
 */
public record CoreRelo(String section, long insnOffset, int type, String accessString, List<Integer> access,
        CoreReloKind kind) {
    public CoreRelo {
        access = List.copyOf(access);
    }
}
