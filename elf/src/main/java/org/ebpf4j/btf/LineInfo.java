package org.ebpf4j.btf;

/**
 * A {@code .BTF.ext} line_info record: the source position of the instruction at {@code insnOffset} (bytes from the
 * start of {@code section} in an object file) and the text of that source line, as clang stored it.
 * {@code lineNumber} and {@code column} come from {@code line_col} (line in the upper 22 bits, column in the low 10).
 */
public record LineInfo(String section, long insnOffset, String fileName, String line, int lineNumber, int column) {
}
