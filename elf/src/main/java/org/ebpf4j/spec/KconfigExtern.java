package org.ebpf4j.spec;

/**
 * An {@code extern ... __kconfig} variable and where the loader placed it in the collection's {@code .kconfig}
 * map; a backend writes the variable's value there before freezing the map. A weak extern that the backend
 * cannot resolve is 0; a strong one is an error.
 */
public record KconfigExtern(String name, int offset, int size, boolean weak) {}
