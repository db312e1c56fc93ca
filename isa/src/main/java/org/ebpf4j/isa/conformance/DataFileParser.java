package org.ebpf4j.isa.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.isa.text.AssemblyException;
import org.ebpf4j.isa.text.ubpf.UbpfAssembler;

/**
 * Reads one bpf_conformance {@code .data} file: {@code # comment} lines, then sections each opened by a
 * {@code -- name} line. Sections that carry data ({@code raw}, {@code mem}, {@code result}, {@code error}) may
 * hold {@code #} comments; {@code asm} comments are the assembler's business; every other section (such as
 * {@code c}, whose {@code #include} lines are not comments) is kept verbatim.
 */
final class DataFileParser {
    private static final String SECTION_PREFIX = "-- ";

    /** One section's body lines and the file line number of its first body line. */
    private record Section(int firstLine, List<String> lines) {
        String text() {
            return String.join("\n", lines).strip();
        }

        /** The body without {@code #} comments, split into whitespace-separated tokens. */
        List<String> tokens() {
            List<String> tokens = new ArrayList<>();
            for (String line : lines) {
                int hash = line.indexOf('#');
                String data = (hash < 0 ? line : line.substring(0, hash)).strip();
                if (!data.isEmpty()) {
                    tokens.addAll(List.of(data.split("\\s+")));
                }
            }
            return tokens;
        }
    }

    private final Path file;

    DataFileParser(Path file) {
        this.file = file;
    }

    ConformanceVector parse(String name, List<String> lines) {
        Map<String, Section> sections = split(lines);
        Section asm = sections.remove("asm");
        Section raw = sections.remove("raw");
        Section mem = sections.remove("mem");
        Section result = sections.remove("result");
        Section error = sections.remove("error");
        if (result == null && error == null) {
            throw new ConformanceFormatException(file, 0, "neither a '-- result' nor an '-- error' section");
        }
        byte[] program;
        ProgramSource source;
        if (raw != null) {
            program = rawProgram(raw);
            source = ProgramSource.RAW;
        } else if (asm != null) {
            program = assemble(asm);
            source = ProgramSource.ASSEMBLY;
        } else {
            throw new ConformanceFormatException(file, 0, "neither an '-- asm' nor a '-- raw' section");
        }
        Map<String, String> others = new LinkedHashMap<>();
        sections.forEach((sectionName, section) -> others.put(sectionName, section.text()));
        return new ConformanceVector(name, program, mem == null ? new byte[0] : memory(mem),
                result == null ? 0 : expectedR0(result), Optional.ofNullable(error).map(this::errorText), source,
                Optional.ofNullable(asm).map(s -> String.join("\n", s.lines())), others);
    }

    private Map<String, Section> split(List<String> lines) {
        Map<String, Section> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(SECTION_PREFIX)) {
                String sectionName = line.substring(SECTION_PREFIX.length()).strip();
                current = new ArrayList<>();
                if (sections.putIfAbsent(sectionName, new Section(i + 2, current)) != null) {
                    throw new ConformanceFormatException(file, i + 1, "section '" + sectionName + "' repeated");
                }
            } else if (current != null) {
                current.add(line);
            } else if (!line.isBlank() && !line.strip().startsWith("#")) {
                throw new ConformanceFormatException(file, i + 1, "text before the first '-- section' line");
            }
        }
        return sections;
    }

    private byte[] assemble(Section asm) {
        try {
            return UbpfAssembler.assembleToBytes(String.join("\n", asm.lines()));
        } catch (AssemblyException e) {
            throw new ConformanceFormatException(file, asm.firstLine() + e.line() - 1, e.getMessage());
        }
    }

    /** One 64-bit word per token, the instruction read as a little-endian integer (opcode in the low byte). */
    private byte[] rawProgram(Section raw) {
        List<String> tokens = raw.tokens();
        ByteBuffer out = ByteBuffer.allocate(tokens.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (String token : tokens) {
            out.putLong(parseUnsigned(token, raw, "raw instruction"));
        }
        return out.array();
    }

    private byte[] memory(Section mem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String token : mem.tokens()) {
            if (token.length() % 2 != 0 || !token.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new ConformanceFormatException(file, mem.firstLine(), "bad memory byte(s) '" + token + "'");
            }
            for (int i = 0; i < token.length(); i += 2) {
                out.write(Integer.parseInt(token, i, i + 2, 16));
            }
        }
        return out.toByteArray();
    }

    private long expectedR0(Section result) {
        List<String> tokens = result.tokens();
        if (tokens.size() != 1) {
            throw new ConformanceFormatException(file, result.firstLine(), "'-- result' must hold one number");
        }
        return parseUnsigned(tokens.getFirst(), result, "result");
    }

    private String errorText(Section error) {
        return String.join(" ", error.tokens());
    }

    /** Hex with 0x, or decimal (negative allowed); 64-bit values may be written unsigned. */
    private long parseUnsigned(String token, Section section, String what) {
        try {
            if (token.startsWith("0x") || token.startsWith("0X")) {
                return Long.parseUnsignedLong(token.substring(2), 16);
            }
            return token.startsWith("-") ? Long.parseLong(token) : Long.parseUnsignedLong(token);
        } catch (NumberFormatException e) {
            throw new ConformanceFormatException(file, section.firstLine(), "bad " + what + " '" + token + "'");
        }
    }
}
