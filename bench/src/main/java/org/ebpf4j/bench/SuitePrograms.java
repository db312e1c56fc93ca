package org.ebpf4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;

/**
 * The clang-compiled XDP programs of the benchmark suite: one object per program, named after it, built from
 * bench/src/main/c by its build.sh into this package's {@code programs} resources.
 */
final class SuitePrograms {
    private SuitePrograms() {}

    /**
     * A program that only returns (the fixed cost of a run), the integer kernels, then the packet parser, the hash-map
     * counter and the chain of 32 tail calls.
     */
    static final List<String> NAMES = List.of("constant", "log2_loop", "sieve", "xorshift", "crc32", "switch_dispatch",
            "strcmp_loop", "copy_loop", "parser", "counter", "tail_chain");


    static CollectionSpec load(String name) {
        String resource = "programs/" + name + ".o";
        try (InputStream in = SuitePrograms.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no benchmark program '" + name + "' (resource " + resource + ")");
            }
            return ObjectLoader.load(name + ".o", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
