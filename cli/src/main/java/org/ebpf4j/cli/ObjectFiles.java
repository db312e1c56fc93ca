package org.ebpf4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises ELF objects among the files the commands accept. */
final class ObjectFiles {
    private ObjectFiles() {}

    static boolean isElf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return isElf(in.readNBytes(4));
        }
    }

    static boolean isElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }
}
