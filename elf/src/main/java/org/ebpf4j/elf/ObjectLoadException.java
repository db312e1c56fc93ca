package org.ebpf4j.elf;

import org.ebpf4j.isa.BpfException;

/**
 * A well-formed ELF file that is not a loadable BPF object: a map definition without a type, a relocation
 * against a symbol that is neither a map, global data nor code, an unknown section name. The message names the
 * file and the part of it at fault, with offsets.
 */
public final class ObjectLoadException extends BpfException {
    public ObjectLoadException(String file, String part, String detail) {
        super(file + ": " + part + ": " + detail);
    }
}
