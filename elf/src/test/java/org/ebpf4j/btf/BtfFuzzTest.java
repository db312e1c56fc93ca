package org.ebpf4j.btf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.ebpf4j.isa.BpfException;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of the fixtures: whatever the bytes, parsing either succeeds (and then every query and
 * the dump work) or throws {@link BtfFormatException}; no index, buffer or arithmetic exception escapes.
 */
class BtfFuzzTest {
    /** Fixed so that failures reproduce; {@code -Dbtf.fuzz.seed=N} explores further. */
    private static final long SEED = Long.getLong("btf.fuzz.seed", 0x5eed_b7fL);
    private static final int ROUNDS = 2500;
    private static final int[] INTERESTING = {0, 1, -1, 0x7fff_ffff, 0x8000_0000, 0xffff, 0x1_0000, 0x0f00_0000, 12, 24};

    @Test
    void mutatedBtfOnlyEverFailsWithBtfFormatException() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String name = Fixtures.SOURCES[random.nextInt(Fixtures.SOURCES.length)];
            String order = Fixtures.ORDERS[random.nextInt(Fixtures.ORDERS.length)];
            byte[] data = mutate(Fixtures.bytes("obj/" + name + "." + order + ".btf"), random, order);
            try {
                exercise(Btf.parse(data));
                accepted++;
            } catch (BtfFormatException expected) {
                assertTrue(expected.getMessage().startsWith("BTF: "), expected.getMessage());
            } catch (RuntimeException e) {
                fail("round " + round + " (" + name + "." + order + "): " + e, e);
            }
        }
        assertTrue(accepted > 0 && accepted < ROUNDS, "mutations should both pass and fail: " + accepted);
    }

    @Test
    void mutatedBtfExtOnlyEverFailsWithBtfFormatException() {
        Random random = new Random(SEED + 1);
        for (int round = 0; round < ROUNDS; round++) {
            String name = Fixtures.SOURCES[random.nextInt(Fixtures.SOURCES.length)];
            String order = Fixtures.ORDERS[random.nextInt(Fixtures.ORDERS.length)];
            Btf btf = Fixtures.btf(name, order);
            byte[] data = mutate(Fixtures.bytes("obj/" + name + "." + order + ".btf.ext"), random, order);
            try {
                BtfExt.parse(data, btf);
            } catch (BtfFormatException expected) {
                assertTrue(expected.getMessage().startsWith("BTF.ext: "), expected.getMessage());
            } catch (RuntimeException e) {
                fail("round " + round + " (" + name + "." + order + " ext): " + e, e);
            }
        }
    }

    /** What a user of a parsed Btf may call: none of it may fail except sizeOf's documented error. */
    private static void exercise(Btf btf) {
        BtfDump.raw(btf);
        for (int id = 1; id <= btf.lastTypeId(); id++) {
            btf.resolve(id);
            try {
                btf.sizeOf(id);
            } catch (BpfException unsized) {
                assertTrue(unsized.getMessage().contains("has no size") || unsized.getMessage().contains("overflows"),
                        unsized.getMessage());
            }
            if (btf.type(btf.resolve(id) == 0 ? id : btf.resolve(id)) instanceof BtfType.Composite) {
                btf.member(id, "x");
            }
            btf.typeIds(btf.type(id).name());
        }
    }

    private static byte[] mutate(byte[] original, Random random, String order) {
        byte[] data = original.clone();
        ByteBuffer words = ByteBuffer.wrap(data).order(order.equals("el") ? ByteOrder.LITTLE_ENDIAN
                : ByteOrder.BIG_ENDIAN);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            switch (random.nextInt(4)) {
                case 0 -> data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> data[random.nextInt(data.length)] = (byte) random.nextInt(256);
                case 2 -> words.putInt(random.nextInt(data.length / 4) * 4,
                        INTERESTING[random.nextInt(INTERESTING.length)]);
                default -> {
                    if (random.nextInt(8) == 0) {
                        return Arrays.copyOf(data, random.nextInt(data.length));
                    }
                    int at = random.nextInt(data.length / 4) * 4;
                    words.putInt(at, words.getInt(at) + random.nextInt(64) - 32);
                }
            }
        }
        return data;
    }
}
