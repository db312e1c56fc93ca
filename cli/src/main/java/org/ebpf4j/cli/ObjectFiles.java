package org.ebpf4j.cli;

/** Recognises ELF objects among the files the commands accept. */
final class ObjectFiles {
    private ObjectFiles() {}

    static boolean isElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }
}
