package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.BpfException;
import org.junit.jupiter.api.Test;

/**
 * The whole loader (ELF, BTF, maps, linking) under the reader's fuzzing mutations plus damage aimed at the BTF and
 * code sections: every outcome is a {@link org.ebpf4j.spec.CollectionSpec} or a {@link BpfException}.
 */
class ObjectLoaderFuzzTest {
    private static final int ROUNDS = 3000;
    /** Fixed for reproducible CI runs; -Dloader.fuzz.seed=N explores others. */
    private static final long SEED = Long.getLong("loader.fuzz.seed", 0x10ade5L);

    @Test
    void damagedObjectsLoadOrFailCleanly() {
        List<String> names = Fixtures.objects();
        List<byte[]> originals = names.stream().map(Fixtures::bytes).toList();
        List<ElfFile> intact = names.stream().map(Fixtures::read).toList();
        Random random = new Random(SEED);
        int loaded = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int which = random.nextInt(originals.size());
            byte[] bytes = originals.get(which).clone();
            ElfFile layout = intact.get(which);
            if (random.nextBoolean()) {
                bytes = ElfFuzzTest.mutate(random, bytes, layout);
            } else {
                damageSectionContents(random, bytes, layout);
            }
            try {
                ObjectLoader.load("fuzz.o", bytes);
                loaded++;
            } catch (BpfException expected) {
                // A clean, documented failure.
            } catch (RuntimeException | Error e) {
                fail("round " + round + " (" + names.get(which) + ", seed " + SEED + ") threw " + e, e);
            }
        }
        assertTrue(loaded > ROUNDS / 10, "only " + loaded + " of " + ROUNDS + " damaged objects loaded");
    }

    /** Overwrites a few bytes inside one section the loader interprets: .BTF, .BTF.ext, .maps, maps or code. */
    private static void damageSectionContents(Random random, byte[] bytes, ElfFile layout) {
        List<Section> targets = layout.sections().stream()
                .filter(s -> s.size() > 0 && s.type() != SectionType.NOBITS)
                .filter(s -> s.isExecutable() || s.name().startsWith(".BTF") || s.name().equals(".maps")
                        || s.name().equals("maps") || s.name().startsWith(".rel"))
                .toList();
        if (targets.isEmpty()) {
            return;
        }
        Section s = targets.get(random.nextInt(targets.size()));
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            int at = (int) (s.offset() + random.nextLong(s.size()));
            bytes[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : bytes[at] ^ (1 << random.nextInt(8)));
        }
    }
}
