package org.ebpf4j.btf.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relocation lines libbpf logged when build.sh loaded a fixture (expected/*.txt), per program: what it wrote
 * into which instruction. "# key value" header lines say against which kernel they were recorded.
 */
record LibbpfLog(Map<String, String> header, Map<String, List<Patch>> patchesByProgram) {

    /** One logged change to instruction {@code insn} (slot from the program's start). */
    sealed interface Patch {
        int insn();
    }

    /** "patched insn #N (FORM) FIELD OLD -> NEW": FORM is ALU/ALU64, LDX/ST/STX or LDIMM64. */
    record Value(int insn, String form, long before, long after) implements Patch {}

    /** "patched insn #N (LDX/ST/STX) mem_sz OLD -> NEW". */
    record Width(int insn, int before, int after) implements Patch {}

    /** "substituting insn #N w/ invalid insn": poisoned. */
    record Poison(int insn) implements Patch {}

    private static final Pattern PREFIX = Pattern.compile("libbpf: prog '([^']+)': relo #\\d+: (.*)");
    private static final Pattern VALUE = Pattern.compile(
            "patched insn #(\\d+) \\(([A-Z0-9/]+)\\) (imm|off|imm64) (\\d+) -> (\\d+)");
    private static final Pattern WIDTH = Pattern.compile("patched insn #(\\d+) \\(LDX/ST/STX\\) mem_sz (\\d+) -> (\\d+)");
    private static final Pattern POISON = Pattern.compile("substituting insn #(\\d+) w/ invalid insn");

    static LibbpfLog read(String name) {
        try {
            return parse(Files.readAllLines(CoreObject.RESOURCES.resolve("core/expected/" + name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LibbpfLog parse(List<String> lines) {
        Map<String, String> header = new LinkedHashMap<>();
        Map<String, List<Patch>> patches = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.startsWith("# ")) {
                String[] parts = line.substring(2).split(" ", 2);
                header.put(parts[0], parts.length > 1 ? parts[1] : "");
                continue;
            }
            Matcher prefix = PREFIX.matcher(line);
            if (!prefix.matches()) {
                throw new IllegalArgumentException("unexpected libbpf line: " + line);
            }
            Patch patch = patch(prefix.group(2));
            if (patch != null) {
                patches.computeIfAbsent(prefix.group(1), ignored -> new ArrayList<>()).add(patch);
            }
        }
        return new LibbpfLog(header, patches);
    }

    /** Null for failure lines ("ambiguity", "failed to relocate"), which the error tests read as text. */
    private static Patch patch(String text) {
        Matcher m = WIDTH.matcher(text);
        if (m.matches()) {
            return new Width(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
        m = VALUE.matcher(text);
        if (m.matches()) {
            return new Value(Integer.parseInt(m.group(1)), m.group(2), Long.parseUnsignedLong(m.group(4)),
                    Long.parseUnsignedLong(m.group(5)));
        }
        m = POISON.matcher(text);
        if (m.matches()) {
            return new Poison(Integer.parseInt(m.group(1)));
        }
        return null;
    }

    List<Patch> patches(String program) {
        return patchesByProgram.getOrDefault(program, List.of());
    }
}
