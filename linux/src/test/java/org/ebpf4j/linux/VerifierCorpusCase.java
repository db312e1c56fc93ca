package org.ebpf4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One case of {@code ../shared/verifier-corpus} (see its README): a relocated program whose map lddws hold indexes
 * into {@link #maps}, the load attributes, and the verdict of Linux 6.18 for exactly these bytes. Reads only the
 * flat fields it needs from {@code case.json}, with patterns: the module has no JSON library, and needs none for
 * this.
 */
record VerifierCorpusCase(Path directory, int programType, int expectedAttachType, int programFlags, String license,
                          List<CorpusMap> maps, String bytesOnlyVerdict) {

    /** An entry of the case's {@code maps} list. */
    record CorpusMap(int type, int keySize, int valueSize, int maxEntries, int flags) {}

    private static final Pattern MAPS = Pattern.compile("\"maps\"\\s*:\\s*\\[(.*?)]", Pattern.DOTALL);
    private static final Pattern OBJECT = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern VERDICT =
            Pattern.compile("\"bytes_only\"\\s*:\\s*\\{[^{}]*?\"verdict\"\\s*:\\s*\"(\\w+)\"");

    /** Finds {@code shared/verifier-corpus} beside the working directory or beside any of its parents. */
    static Optional<Path> locateCorpus() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("verifier-corpus").resolve("cases");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Every case directory under {@code cases}, sorted by path. */
    static List<VerifierCorpusCase> readAll(Path cases) {
        try (Stream<Path> files = Files.walk(cases, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("case.json"))
                    .map(Path::getParent)
                    .sorted()
                    .map(VerifierCorpusCase::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static VerifierCorpusCase read(Path directory) {
        try {
            String json = Files.readString(directory.resolve("case.json"));
            List<CorpusMap> maps = new ArrayList<>();
            Matcher list = MAPS.matcher(json);
            if (list.find()) {
                Matcher object = OBJECT.matcher(list.group(1));
                while (object.find()) {
                    String m = object.group(1);
                    maps.add(new CorpusMap(number(m, "type"), number(m, "key_size"), number(m, "value_size"),
                            number(m, "max_entries"), number(m, "map_flags")));
                }
            }
            Matcher verdict = VERDICT.matcher(json);
            return new VerifierCorpusCase(directory, number(json, "prog_type"), number(json, "expected_attach_type"),
                    number(json, "prog_flags"), string(json, "license"), maps,
                    verdict.find() ? verdict.group(1) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] program() {
        try {
            return Files.readAllBytes(directory.resolve("prog.bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("case.json has no number '" + key + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
