package org.ebpf4j.spec;

/**
 * An {@code extern ... __kconfig} variable and where the loader placed it in the collection's {@code .kconfig}
 * map; a backend writes the variable's value there before freezing the map. A weak extern that the backend
 * cannot resolve is 0; a strong one is an error.
 */
public record KconfigExtern(String name, int offset, int size, boolean weak) {

    /** Writes a number into this extern's place in a {@code .kconfig} value, in the buffer's byte order. */
    public void writeNumber(java.nio.ByteBuffer value, long number) {
        switch (size) {
            case 1 -> value.put(offset, (byte) number);
            case 2 -> value.putShort(offset, (short) number);
            case 4 -> value.putInt(offset, (int) number);
            case 8 -> value.putLong(offset, number);
            default -> throw new org.ebpf4j.isa.BpfException("extern '" + name + "' (__kconfig) of " + size
                    + " bytes cannot hold a number");
        }
    }
}
