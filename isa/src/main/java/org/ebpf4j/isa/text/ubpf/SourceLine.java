package org.ebpf4j.isa.text.ubpf;

import org.ebpf4j.isa.text.AssemblyException;

/** One line of assembly source with its 1-based number, kept so that every error can point back at it. */
record SourceLine(int number, String text) {

    AssemblyException error(String problem) {
        return new AssemblyException(number, text.strip(), problem);
    }
}
