package org.ebpf4j.isa.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the RFC 9669 conformance vectors of the bpf_conformance project, either as the {@code tests/*.data}
 * sources or as {@code conformance_corpus.tsv}, in which the reference toolchain already assembled them.
 */
public final class ConformanceSuite {
    private static final String DATA_SUFFIX = ".data";
    private static final HexFormat HEX = HexFormat.of();

    private ConformanceSuite() {}

    /**
     * Finds {@code shared/conformance} beside {@code start} or beside any of its parents. The vectors live next
     * to the repository rather than in it, so tests find them from whatever directory they run in.
     */
    public static Optional<Path> locate(Path start) {
        return SharedGroundTruth.locate(start, "conformance").filter(dir -> Files.isDirectory(dir.resolve("tests")));
    }

    /** One vector from a {@code .data} file, named after the file without {@code .data}. */
    public static ConformanceVector readDataFile(Path file) {
        try {
            return new DataFileParser(file).parse(nameOf(file.getFileName().toString()), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.data} file of a directory, sorted by name. */
    public static List<ConformanceVector> readDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(DATA_SUFFIX))
                    .map(ConformanceSuite::readDataFile)
                    .sorted(Comparator.comparing(ConformanceVector::name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The corpus file: {@code #} header lines, then {@code name expected_r0 mem_hex program_hex} separated by
     * tabs (mem_hex empty when the vector has no memory). Kept in file order.
     */
    public static List<ConformanceVector> readTsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ConformanceVector> vectors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            vectors.add(tsvRow(file, i + 1, line));
        }
        return vectors;
    }

    private static ConformanceVector tsvRow(Path file, int lineNumber, String line) {
        String[] columns = line.split("\t", -1);
        if (columns.length != 4) {
            throw new ConformanceFormatException(file, lineNumber, "expected 4 tab-separated columns, found "
                    + columns.length);
        }
        try {
            String r0 = columns[1].strip();
            long expected = r0.startsWith("0x") ? Long.parseUnsignedLong(r0.substring(2), 16)
                    : Long.parseLong(r0);
            return new ConformanceVector(nameOf(columns[0].strip()), HEX.parseHex(columns[3].strip()),
                    HEX.parseHex(columns[2].strip()), expected, Optional.empty(), ProgramSource.CORPUS,
                    Optional.empty(), Map.of());
        } catch (IllegalArgumentException e) {
            throw new ConformanceFormatException(file, lineNumber, "bad number or hex: " + e.getMessage());
        }
    }

    private static String nameOf(String fileName) {
        return fileName.endsWith(DATA_SUFFIX)
                ? fileName.substring(0, fileName.length() - DATA_SUFFIX.length())
                : fileName;
    }
}
