package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.BpfException;
import org.junit.jupiter.api.Test;

/**
 * Seeded random damage to every fixture: reading, decoding every executable section and walking every relocation
 * either works or throws a {@link BpfException} (an {@link ElfFormatException} from the reader), never anything
 * else. Most mutations aim at the structures the reader trusts (ELF header, section headers, symbols, relocation
 * entries), where a missed check would surface as an IndexOutOfBounds or NegativeArraySize.
 */
class ElfFuzzTest {
    private static final int ROUNDS = 4000;
    private static final long SEED = 0x5eed_e1fL;
    /** Values that sit on boundaries: zero, small, sign bits, all ones. */
    private static final long[] INTERESTING = {0, 1, 2, 7, 8, 16, 24, 63, 64, 0x7f, 0xff, 0xfff1, 0xfff2, 0xff00,
            0xffff, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, Long.MAX_VALUE, Long.MIN_VALUE, -1, -8};

    @Test
    void damagedObjectsFailOnlyWithFormatErrors() {
        List<String> names = Fixtures.objects();
        List<byte[]> originals = names.stream().map(Fixtures::bytes).toList();
        List<ElfFile> intact = names.stream().map(Fixtures::read).toList();
        Random random = new Random(SEED);
        int read = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int which = random.nextInt(originals.size());
            byte[] bytes = originals.get(which).clone();
            ElfFile layout = intact.get(which);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                bytes = mutate(random, bytes, layout);
            }
            try {
                exercise(ElfFile.read("fuzz.o", bytes));
                read++;
            } catch (BpfException expected) {
                // A clean, documented failure.
            } catch (RuntimeException | Error e) {
                fail("round " + round + " (" + names.get(which) + ", seed " + SEED + ") threw " + e, e);
            }
        }
        // The run only means something if many damaged objects got past the reader into the deeper checks.
        assertTrue(read > ROUNDS / 10, "only " + read + " of " + ROUNDS + " damaged objects were readable");
    }

    private static void exercise(ElfFile elf) {
        for (Section s : elf.sections()) {
            elf.contents(s);
            elf.symbolsIn(s);
            for (Relocation r : elf.relocationsFor(s)) {
                r.type();
                elf.symbolName(r.symbol());
            }
        }
        for (Section code : elf.executableSections()) {
            elf.instructions(code);
        }
    }

    static byte[] mutate(Random random, byte[] bytes, ElfFile layout) {
        if (bytes.length < 64) {
            return bytes; // an earlier truncation took the ELF header: the intact layout no longer applies
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(layout.byteOrder());
        int kind = random.nextInt(10);
        switch (kind) {
            case 0 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            case 1 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            case 2 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            case 3 -> overwrite(random, b, 16 + random.nextInt(48)); // ELF header fields after e_ident
            case 4, 5 -> {
                long shoff = b.getLong(40);
                int at = (int) shoff + 64 * random.nextInt(layout.sections().size()) + random.nextInt(64);
                overwrite(random, b, at);
            }
            case 6, 7 -> layout.symbolTable().ifPresent(symtab -> overwrite(random, b,
                    (int) symtab.offset() + random.nextInt((int) Math.max(symtab.size(), 1))));
            default -> {
                List<RelocationSection> rels = layout.relocationSections();
                if (!rels.isEmpty()) {
                    Section rel = rels.get(random.nextInt(rels.size())).section();
                    overwrite(random, b, (int) rel.offset() + random.nextInt((int) Math.max(rel.size(), 1)));
                }
            }
        }
        return bytes;
    }

    /** Writes a boundary or random value of 1, 2, 4 or 8 bytes at (or just before) a position. */
    private static void overwrite(Random random, ByteBuffer b, int at) {
        int width = 1 << random.nextInt(4);
        int pos = Math.max(0, Math.min(at, b.capacity() - width));
        long value = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : random.nextLong();
        switch (width) {
            case 1 -> b.put(pos, (byte) value);
            case 2 -> b.putShort(pos, (short) value);
            case 4 -> b.putInt(pos, (int) value);
            default -> b.putLong(pos, value);
        }
    }
}
