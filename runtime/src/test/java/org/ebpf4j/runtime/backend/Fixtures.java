package org.ebpf4j.runtime.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;

/** The committed clang objects of fixtures/obj. */
final class Fixtures {
    private Fixtures() {}

    static CollectionSpec load(String object) {
        try {
            return ObjectLoader.load(Path.of("..", "fixtures", "obj", object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A frame of {@code length} bytes counting up from 0, as the kernel test-run tests use. */
    static byte[] packet(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }
}
