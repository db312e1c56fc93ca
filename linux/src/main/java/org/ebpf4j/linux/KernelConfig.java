package org.ebpf4j.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The running kernel's build configuration ({@code CONFIG_*=...}), read from {@code /proc/config.gz} or else
 * {@code /boot/config-$(uname -r)}, where libbpf looks too. Empty when neither is readable.
 */
final class KernelConfig {
    private static final Path PROC_CONFIG = Path.of("/proc/config.gz");

    private final Map<String, String> values;

    private KernelConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    static KernelConfig read(String release) {
        try {
            if (Files.isReadable(PROC_CONFIG)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(PROC_CONFIG))) {
                    return parse(in);
                }
            }
            Path boot = Path.of("/boot", "config-" + release);
            if (Files.isReadable(boot)) {
                try (InputStream in = Files.newInputStream(boot)) {
                    return parse(in);
                }
            }
            return new KernelConfig(Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel configuration", e);
        }
    }

    /** {@code CONFIG_X=value} lines; {@code # CONFIG_X is not set} is {@code n}, as Kconfig means it. */
    static KernelConfig parse(InputStream in) throws IOException {
        Map<String, String> values = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("CONFIG_") && line.indexOf('=') > 0) {
                int eq = line.indexOf('=');
                values.put(line.substring(0, eq), line.substring(eq + 1));
            } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                values.put(line.substring(2, line.length() - " is not set".length()), "n");
            }
        }
        return new KernelConfig(values);
    }

    /** The raw value ({@code y}, {@code m}, {@code n}, {@code 250}, {@code 0x10}, {@code "string"}). */
    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }
}
