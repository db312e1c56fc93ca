package org.ebpf4j.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to load a collection. Immutable; each {@code with...} returns a changed copy.
 *
 * @param verify whether programs are verified before they run; only the JVM backend can skip it, and never by
 *     default ({@link #unverified()})
 * @param logLevel verifier log detail: 0 (only on failure, as the kernel's level 1 retry), 1 or 2
 * @param pinPath where maps with {@code pinning = BY_NAME} are pinned and looked up (empty: the kernel backend uses
 *     /sys/fs/bpf, libbpf's default)
 * @param kconfig values for {@code __kconfig} externs, overriding what the backend would find itself
 * @param blindConstants whether a JIT blinds the program's immediates (XORs each with a random key at compile time,
 *     so that the generated code holds no constant of the program's choosing), as Linux does for unprivileged
 *     loads ({@code net.core.bpf_jit_harden}). ebpf4j has no notion of a privileged loader, so every load is
 *     treated as unprivileged: on by default; {@link #withoutConstantBlinding()} for programs that are trusted.
 *     The JVM backend's JIT obeys it; the Linux backend leaves it to the kernel's sysctl.
 */
public record LoadOptions(boolean verify, int logLevel, Optional<Path> pinPath, Map<String, Long> kconfig,
                          boolean blindConstants) {

    public LoadOptions {
        if (logLevel < 0 || logLevel > 2) {
            throw new IllegalArgumentException("log level must be 0, 1 or 2, not " + logLevel);
        }
        Objects.requireNonNull(pinPath);
        kconfig = Map.copyOf(kconfig);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(true, 0, Optional.empty(), Map.of(), true);
    }

    /** Skips verification: for running programs the verifier does not handle yet. Never the default. */
    public LoadOptions unverified() {
        return new LoadOptions(false, logLevel, pinPath, kconfig, blindConstants);
    }

    public LoadOptions withLogLevel(int level) {
        return new LoadOptions(verify, level, pinPath, kconfig, blindConstants);
    }

    public LoadOptions withPinPath(Path path) {
        return new LoadOptions(verify, logLevel, Optional.of(path), kconfig, blindConstants);
    }

    public LoadOptions withKconfig(Map<String, Long> values) {
        return new LoadOptions(verify, logLevel, pinPath, values, blindConstants);
    }

    /** Compiles without constant blinding: faster code, for programs whose author is trusted. */
    public LoadOptions withoutConstantBlinding() {
        return new LoadOptions(verify, logLevel, pinPath, kconfig, false);
    }
}
