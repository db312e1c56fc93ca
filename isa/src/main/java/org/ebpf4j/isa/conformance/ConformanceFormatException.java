package org.ebpf4j.isa.conformance;

import java.nio.file.Path;
import org.ebpf4j.isa.BpfException;

/** A conformance file that cannot be read as a vector; names the file and, where known, the line. */
public final class ConformanceFormatException extends BpfException {

    public ConformanceFormatException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }

    public ConformanceFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem + ": " + cause.getMessage(), cause);
    }
}
