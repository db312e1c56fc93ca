package org.ebpf4j.verifier.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
        VerifierOptions options = new VerifierOptions(number(json, "prog_type"), number(json, "expected_attach_type"),
                number(json, "prog_flags"), true);
        return new CorpusCase(root.relativize(dir).toString(), Files.readAllBytes(dir.resolve("prog.bin")), options,
                (String) bytesOnly.get("verdict"), number(bytesOnly, "errno"), rejectionMessage((String) bytesOnly.get("log_tail")));
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
