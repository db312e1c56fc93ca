package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code llvm-readelf-19 -h -S -s -r --wide} reported for an object (fixtures/build.sh commits it). */
record ReadelfListing(boolean bigEndian, List<SectionLine> sections, List<SymbolLine> symbols,
        Map<String, List<RelocationLine>> relocations) {

    record SectionLine(int index, String name, String type, long address, long offset, long size, long entrySize,
            String flags, int link, int info, long align) {}

    record SymbolLine(int index, long value, long size, String type, String binding, String visibility,
            String section, String name) {}

    record RelocationLine(long offset, long symbol, long type, String typeName) {}

    private static final Pattern SECTION = Pattern.compile(
            "^\\s*\\[\\s*(\\d+)\\]\\s+(?:(\\S+)\\s+)?(\\S+)\\s+([0-9a-f]{16})\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+"
                    + "([0-9a-f]+)\\s+([A-Za-z]*)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$");
    private static final Pattern SYMBOL = Pattern.compile(
            "^\\s*(\\d+): ([0-9a-f]{16})\\s+(0x[0-9a-f]+|\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+) ?(.*)$");
    private static final Pattern RELOCATION_SECTION = Pattern.compile(
            "^Relocation section '(.*)' at offset 0x[0-9a-f]+ contains \\d+ entries:$");
    private static final Pattern RELOCATION = Pattern.compile("^([0-9a-f]{16})\\s+([0-9a-f]{16})\\s+(\\S+)\\s.*$");

    static ReadelfListing parse(String text) {
        boolean big = false;
        List<SectionLine> sections = new ArrayList<>();
        List<SymbolLine> symbols = new ArrayList<>();
        Map<String, List<RelocationLine>> relocations = new LinkedHashMap<>();
        List<RelocationLine> current = null;
        for (String line : text.split("\n")) {
            Matcher m;
            if (line.trim().startsWith("Data:")) {
                big = line.contains("big endian");
            } else if ((m = SECTION.matcher(line)).matches()) {
                sections.add(new SectionLine(Integer.parseInt(m.group(1)), m.group(2) == null ? "" : m.group(2),
                        m.group(3), hex(m.group(4)), hex(m.group(5)), hex(m.group(6)), hex(m.group(7)), m.group(8),
                        Integer.parseInt(m.group(9)), Integer.parseInt(m.group(10)), Long.parseLong(m.group(11))));
            } else if ((m = SYMBOL.matcher(line)).matches()) {
                String size = m.group(3);
                symbols.add(new SymbolLine(Integer.parseInt(m.group(1)), hex(m.group(2)),
                        size.startsWith("0x") ? hex(size.substring(2)) : Long.parseLong(size), m.group(4),
                        m.group(5), m.group(6), m.group(7), m.group(8)));
            } else if ((m = RELOCATION_SECTION.matcher(line)).matches()) {
                current = new ArrayList<>();
                relocations.put(m.group(1), current);
            } else if (current != null && (m = RELOCATION.matcher(line)).matches()) {
                long info = hex(m.group(2));
                current.add(new RelocationLine(hex(m.group(1)), info >>> 32, info & 0xffff_ffffL, m.group(3)));
            } else if (line.isBlank()) {
                current = null;
            }
        }
        return new ReadelfListing(big, sections, symbols, relocations);
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }
}
