package org.ebpf4j.elf;

import org.ebpf4j.isa.BpfException;

/**
 * An object file that is not a well-formed ELF64 BPF object. The message names the file, the part of it (ELF
 * header, a section header, a section) and the byte offset of the bad value, e.g. {@code prog.o: section
 * '.rel.text' (index 5): relocation 3 at offset 0x1a0 refers to symbol 99, but .symtab has 40 symbols}. It is the
 * only exception {@link ElfFile} throws for bad input.
 */
public final class ElfFormatException extends BpfException {
    private final String file;
    private final String part;

    /**
     * @param file the file name given to the reader
     * @param part what the message is about, e.g. {@code ELF header} or {@code section '.text' (index 2)}
     * @param detail what is wrong, with the offending offset
     */
    public ElfFormatException(String file, String part, String detail) {
        this(file, part, detail, null);
    }

    public ElfFormatException(String file, String part, String detail, Throwable cause) {
        super(file + ": " + part + ": " + detail, cause);
        this.file = file;
        this.part = part;
    }

    public String file() {
        return file;
    }

    /** The part of the file the error is about: {@code ELF header}, {@code section header 3}, a section. */
    public String part() {
        return part;
    }
}
