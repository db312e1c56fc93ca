package org.ebpf4j.verifier.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.verifier.VerifierOptions;

/**
 * One case of {@code shared/verifier-corpus}: the program's bytes, how it was loaded, and the kernel's verdict on
 * exactly those bytes ({@code bytes_only}).
 */
record CorpusCase(String name, byte[] code, VerifierOptions options, String kernelVerdict, int kernelErrno,
                  String kernelMessage) {

    /** -ENOSPC: the kernel's log buffer overflowed, which fails even a valid program (Linux 6.4+). */
    private static final int LOG_OVERFLOW = -28;

    static CorpusCase read(Path root, Path dir) throws IOException {
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
        return new CorpusCase(root.relativize(dir).toString(), Files.readAllBytes(dir.resolve("prog.bin")), options,
                (String) bytesOnly.get("verdict"), number(bytesOnly, "errno"), rejectionMessage((String) bytesOnly.get("log_tail")));
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

    /** True when the kernel's answer says nothing about the program: the load failed for another reason. */
    boolean isEnvironmentFailure() {
        return kernelVerdict.equals("env") || (kernelVerdict.equals("reject") && kernelErrno == LOG_OVERFLOW);
    }

    /** The log's last line before its statistics: the kernel's rejection message. */
    static String rejectionMessage(String logTail) {
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
}
