package org.ebpf4j.verifier.corpus;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.VerifierOptions;

/**
 * One case of {@code shared/verifier-corpus}: the program's bytes, how it was loaded, the kernel's verdict on
 * exactly those bytes ({@code bytes_only}), and r0 after a test run where the case states one.
 *
 * @param name the case's directory relative to {@code cases}, e.g. {@code test_verifier/0427}
 * @param expectedRetval the 32-bit retval of {@code BPF_PROG_TEST_RUN} on 64 zero bytes that the kernel's harness
 *     checked; empty when the case states none or only {@code POINTER_VALUE} (the harness's "some pointer")
 * @param unprivileged what the case's authors expect of an unprivileged load, where they state it
 */
public record CorpusCase(String name, byte[] code, VerifierOptions options, String kernelVerdict, int kernelErrno,
                         String kernelMessage, OptionalLong expectedRetval,
                         Optional<UnprivilegedExpectation> unprivileged) {

    /** test_verifier's and test_loader's "r0 is some pointer" marker (0xcafe4a): not a value to compare. */
    private static final long POINTER_VALUE = 0xcafe4aL;

    /** The name of the one program (and of the collection) {@link #asCollection} builds. */
    public static final String PROGRAM = "corpus";

    /** -ENOSPC: the kernel's log buffer overflowed, which fails even a valid program (Linux 6.4+). */
    private static final int LOG_OVERFLOW = -28;

    /** Every case under {@code root} (the corpus's {@code cases} directory), in path order. */
    public static List<CorpusCase> readAll(Path root) throws IOException {
        List<Path> dirs;
        try (Stream<Path> files = Files.walk(root)) {
            dirs = files.filter(p -> p.getFileName().toString().equals("case.json")).map(Path::getParent)
                    .sorted().toList();
        }
        List<CorpusCase> cases = new ArrayList<>(dirs.size());
        for (Path dir : dirs) {
            cases.add(read(root, dir));
        }
        return cases;
    }

    public static CorpusCase read(Path root, Path dir) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("case.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> bytesOnly = (Map<String, Object>) json.get("bytes_only");
        Object license = json.get("license");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> maps = (List<Map<String, Object>>) json.get("maps");
        // Without a license field the case is one of the kernel's selftest objects, which are all GPL.
        VerifierOptions options = new VerifierOptions(number(json, "prog_type"), number(json, "expected_attach_type"),
                number(json, "prog_flags"), true, license == null ? "GPL" : (String) license, mapSpecs(maps));
        Object retval = json.get("expected_retval");
        String name = root.relativize(dir).toString().replace('\\', '/');
        return new CorpusCase(name, Files.readAllBytes(dir.resolve("prog.bin")), options,
                (String) bytesOnly.get("verdict"), number(bytesOnly, "errno"),
                rejectionMessage((String) bytesOnly.get("log_tail")),
                retval(retval), UnprivilegedExpectation.of(name, json, options.programType()));
    }

    /** The case's maps, in the order its lddw indices count; map-in-map inner maps where the case names them. */
    private static List<MapSpec> mapSpecs(List<Map<String, Object>> maps) {
        List<MapSpec> specs = new ArrayList<>();
        for (Map<String, Object> m : maps) {
            specs.add(mapSpec(m, Optional.empty()));
        }
        for (int i = 0; i < maps.size(); i++) {
            int inner = number(maps.get(i), "inner_map_index");
            if (maps.get(i).containsKey("inner_map_index") && inner >= 0) {
                specs.set(i, mapSpec(maps.get(i), Optional.of(specs.get(inner))));
            }
        }
        return specs;
    }

    private static MapSpec mapSpec(Map<String, Object> m, Optional<MapSpec> inner) {
        String hex = (String) m.get("initial_value_hex");
        List<MapSpec.MapEntry> contents = hex == null ? List.of()
                : List.of(new MapSpec.MapEntry.Bytes(new byte[4], HexFormat.of().parseHex(hex)));
        boolean global = Boolean.TRUE.equals(m.get("global_data"));
        return new MapSpec((String) m.get("name"), MapType.require(number(m, "type")), number(m, "key_size"),
                number(m, "value_size"), number(m, "max_entries"), number(m, "map_flags"), MapPinning.NONE, 0, 0,
                inner, contents, Boolean.TRUE.equals(m.get("frozen")), 0, 0,
                global ? MapSpec.Origin.GLOBAL_DATA : MapSpec.Origin.LEGACY);
    }

    /** A retval as test_verifier (a number) or a selftest's {@code __retval(...)} (text, maybe a named constant) says. */
    private static OptionalLong retval(Object value) {
        return switch (value) {
            case null -> OptionalLong.empty();
            case Number n when n.longValue() == POINTER_VALUE -> OptionalLong.empty();
            case Number n -> OptionalLong.of(n.longValue() & 0xffff_ffffL);
            case String s when s.equals("POINTER_VALUE") -> OptionalLong.empty();
            case String s when s.equals("INT_MIN") -> OptionalLong.of(Integer.MIN_VALUE & 0xffff_ffffL);
            case String s when s.equals("INT_MAX") -> OptionalLong.of(Integer.MAX_VALUE);
            case String s -> OptionalLong.of(Long.decode(s) & 0xffff_ffffL);
            default -> throw new IllegalArgumentException("expected_retval " + value + " is neither number nor text");
        };
    }

    /** The options of a load without CAP_BPF and CAP_PERFMON. */
    public VerifierOptions unprivilegedOptions() {
        return options.withPrivileged(false);
    }

    /** True when the kernel's answer says nothing about the program: the load failed for another reason. */
    public boolean isEnvironmentFailure() {
        return kernelVerdict.equals("env") || (kernelVerdict.equals("reject") && kernelErrno == LOG_OVERFLOW);
    }

    /** The log's last line before its statistics: the kernel's rejection message. */
    public static String rejectionMessage(String logTail) {
        if (logTail == null) {
            return "";
        }
        String[] lines = logTail.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            boolean statistics = line.startsWith("processed ") || line.startsWith("verification time")
                    || line.startsWith("stack depth");
            if (!line.isEmpty() && !statistics) {
                return line;
            }
        }
        return "";
    }

    private static int number(Map<String, Object> json, String key) {
        Object v = json.get(key);
        return v == null ? 0 : ((Number) v).intValue();
    }

    /**
     * The case as an object would give it: its maps as {@code corpus_map_N}, each map lddw (imm = index N, value
     * offset in the second half) turned back into imm 0 plus a {@link ProgramSpec.MapReference} for the backend to
     * put the map's fd in. Other lddw forms and calls stay as recorded. Both backends load what this returns.
     *
     * @throws IllegalArgumentException for a map of maps whose inner map the corpus does not describe
     */
    public CollectionSpec asCollection() {
        List<MapSpec> caseMaps = options.maps();
        Map<String, MapSpec> maps = new LinkedHashMap<>();
        for (int i = 0; i < caseMaps.size(); i++) {
            MapSpec m = caseMaps.get(i);
            if ((m.type() == MapType.ARRAY_OF_MAPS || m.type() == MapType.HASH_OF_MAPS) && m.innerMap().isEmpty()) {
                throw new IllegalArgumentException("map " + i + " (" + m.type() + ") has no inner map in the corpus,"
                        + " which the kernel needs to create it");
            }
            maps.put(mapName(i), renamed(m, mapName(i)));
        }
        Instructions instructions = Instructions.decode(code);
        List<Instruction> symbolic = new ArrayList<>();
        List<ProgramSpec.MapReference> references = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            Instruction insn = instructions.get(i);
            if (insn.isLddw() && (insn.src() == Opcode.PSEUDO_MAP_FD || insn.src() == Opcode.PSEUDO_MAP_VALUE)) {
                boolean value = insn.src() == Opcode.PSEUDO_MAP_VALUE;
                references.add(new ProgramSpec.MapReference(instructions.slotOf(i), mapName(insn.imm32()), value,
                        (int) (insn.imm() >>> 32)));
                insn = new Instruction(insn.opcode(), insn.dst(), insn.src(), insn.offset(),
                        insn.imm() & 0xffff_ffff_0000_0000L);
            }
            symbolic.add(insn);
        }
        ProgramSpec program = new ProgramSpec(PROGRAM, PROGRAM, ProgramType.require(options.programType()),
                AttachType.of(options.expectedAttachType()), new AttachTarget.None(), options.programFlags(),
                options.license(), 0, Instructions.of(symbolic), references, List.of(), List.of(), List.of());
        return new CollectionSpec(PROGRAM, Map.of(PROGRAM, program), maps, List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    private static String mapName(int index) {
        return "corpus_map_" + index;
    }

    private static MapSpec renamed(MapSpec m, String name) {
        return new MapSpec(name, m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags(), MapPinning.NONE,
                m.numaNode(), m.mapExtra(), m.innerMap(), m.contents(), m.frozen(), m.btfKeyTypeId(),
                m.btfValueTypeId(), m.origin());
    }
}
