package org.ebpf4j.elf;

/**
 * What a relocated symbol means for an lddw: the map itself ({@code value} false, {@code src_reg} 1), or a place
 * inside the map's value ({@code value} true, {@code src_reg} 2) starting {@code offset} bytes in (global data,
 * where the instruction's own immediate adds to it).
 */
record MapTarget(String mapName, boolean value, long offset) {}
