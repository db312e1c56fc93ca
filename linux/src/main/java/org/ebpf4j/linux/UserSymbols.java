package org.ebpf4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Where a function of a user-space binary (an ELF64 little-endian executable or shared library) starts in the
 * file: uprobes are placed by file offset, symbols give virtual addresses, and the {@code PT_LOAD} segment that
 * holds the address says how the two differ. Reads {@code .symtab} and {@code .dynsym}.
 */
final class UserSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int PT_LOAD = 1;
    private static final int SYMBOL_SIZE = 24;

    private UserSymbols() {}

    /** The file offset of the first instruction of {@code symbol} in {@code binary}. */
    static long fileOffset(Path binary, String symbol) {
        ByteBuffer elf = read(binary);
        if (elf.getInt(0) != 0x464c457f || elf.get(4) != 2 || elf.get(5) != 1) {
            throw new IllegalArgumentException(binary + " is not a little-endian ELF64 file");
        }
        long address = symbolAddress(elf, symbol).orElseThrow(() -> new IllegalArgumentException(
                binary + " defines no symbol '" + symbol + "'"));
        return toFileOffset(elf, address).orElseThrow(() -> new IllegalArgumentException(
                symbol + " at 0x" + Long.toHexString(address) + " is in no loaded segment of " + binary));
    }

    private static OptionalLong symbolAddress(ByteBuffer elf, String wanted) {
        long sectionHeaders = elf.getLong(0x28);
        int entrySize = Short.toUnsignedInt(elf.getShort(0x3a));
        int count = Short.toUnsignedInt(elf.getShort(0x3c));
        for (int i = 0; i < count; i++) {
            int header = (int) (sectionHeaders + (long) i * entrySize);
            int type = elf.getInt(header + 4);
            if (type != SHT_SYMTAB && type != SHT_DYNSYM) {
                continue;
            }
            int symbols = (int) elf.getLong(header + 24);
            long size = elf.getLong(header + 32);
            int strings = (int) elf.getLong((int) (sectionHeaders + (long) elf.getInt(header + 40) * entrySize) + 24);
            for (int s = symbols; s + SYMBOL_SIZE <= symbols + size; s += SYMBOL_SIZE) {
                long value = elf.getLong(s + 8);
                boolean defined = elf.getShort(s + 6) != 0;
                if (defined && value != 0 && name(elf, strings + elf.getInt(s)).equals(wanted)) {
                    return OptionalLong.of(value);
                }
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong toFileOffset(ByteBuffer elf, long address) {
        long programHeaders = elf.getLong(0x20);
        int entrySize = Short.toUnsignedInt(elf.getShort(0x36));
        int count = Short.toUnsignedInt(elf.getShort(0x38));
        for (int i = 0; i < count; i++) {
            int header = (int) (programHeaders + (long) i * entrySize);
            long offset = elf.getLong(header + 8);
            long virtual = elf.getLong(header + 16);
            long fileSize = elf.getLong(header + 32);
            if (elf.getInt(header) == PT_LOAD && address >= virtual && address < virtual + fileSize) {
                return OptionalLong.of(address - virtual + offset);
            }
        }
        return OptionalLong.empty();
    }

    private static String name(ByteBuffer elf, int at) {
        int end = at;
        while (elf.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        elf.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer read(Path binary) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(binary)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + binary, e);
        }
    }
}
