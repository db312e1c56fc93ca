package org.ebpf4j.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the three subsections of {@code .BTF.ext}. Each is a record size followed by blocks of
 * {@code {section name offset, record count, records}}; records may be larger than the fields known here (a newer
 * compiler may append fields), so the reader steps by the given size and reads only the known prefix.
 */
final class BtfExtReader {
    private static final int FUNC_INFO_SIZE = 8;
    private static final int LINE_INFO_SIZE = 16;
    private static final int CORE_RELO_SIZE = 16;
    private static final int INSTRUCTION_SIZE = 8;
    /** {@code line_col}: the column is in the low 10 bits, the line number above them. */
    private static final int COLUMN_BITS = 10;

    private final SectionBytes bytes;
    private final Btf btf;
    private final long headerLength;

    BtfExtReader(SectionBytes bytes, Btf btf, long headerLength) {
        this.bytes = bytes;
        this.btf = btf;
        this.headerLength = headerLength;
    }

    /** Where one record is, for messages, and how to read its fields. */
    private record Place(String subsection, String section, int index, int at) {
        BtfFormatException fail(String what) {
            return new BtfFormatException("BTF.ext: " + subsection + " of section '" + section + "' record " + index
                    + " at byte " + at + ": " + what);
        }
    }

    @FunctionalInterface
    private interface RecordReader<T> {
        T read(Place place);
    }

    List<FuncInfo> funcInfos(long offset, long length) {
        return read("func_info", offset, length, FUNC_INFO_SIZE, place -> {
            int type = typeId(place, bytes.u32(place.at() + 4), "type");
            if (!(btf.type(type) instanceof BtfType.Func)) {
                throw place.fail("type refers to " + btf.describe(type) + ", which is not a FUNC");
            }
            return new FuncInfo(place.section(), insnOffset(place), type);
        });
    }

    List<LineInfo> lineInfos(long offset, long length) {
        return read("line_info", offset, length, LINE_INFO_SIZE, place -> {
            String file = string(place, bytes.u32(place.at() + 4), "file name");
            String line = string(place, bytes.u32(place.at() + 8), "line");
            long lineColumn = bytes.u32(place.at() + 12);
            return new LineInfo(place.section(), insnOffset(place), file, line, (int) (lineColumn >>> COLUMN_BITS),
                    (int) (lineColumn & ((1 << COLUMN_BITS) - 1)));
        });
    }

    List<CoreRelo> coreRelos(long offset, long length) {
        return read("core_relo", offset, length, CORE_RELO_SIZE, place -> {
            int type = typeId(place, bytes.u32(place.at() + 4), "type");
            String access = string(place, bytes.u32(place.at() + 8), "access string");
            long kindNumber = bytes.u32(place.at() + 12);
            CoreReloKind kind = CoreReloKind.of(kindNumber);
            if (kind == null) {
                throw place.fail("unknown CO-RE relocation kind " + kindNumber);
            }
            return new CoreRelo(place.section(), insnOffset(place), type, access, accessPath(place, access), kind);
        });
    }

    private <T> List<T> read(String subsection, long offset, long length, int knownSize, RecordReader<T> reader) {
        List<T> records = new ArrayList<>();
        if (length == 0) {
            return records;
        }
        long start = headerLength + offset;
        long end = start + length;
        if (end > bytes.length()) {
            throw new BtfFormatException("BTF.ext: " + subsection + " [" + start + ", " + end
                    + ") extends beyond the section (" + bytes.length() + " bytes)");
        }
        if (length < 4) {
            throw new BtfFormatException("BTF.ext: " + subsection + " at byte " + start + " is " + length
                    + " bytes, too short for its record size");
        }
        long recordSize = bytes.u32((int) start);
        if (recordSize < knownSize) {
            throw new BtfFormatException("BTF.ext: " + subsection + " record size " + recordSize + " at byte " + start
                    + " is smaller than the " + knownSize + " bytes of known fields");
        }
        int at = (int) start + 4;
        while (at < end) {
            if (end - at < 8) {
                throw new BtfFormatException("BTF.ext: " + subsection + " block at byte " + at
                        + " is truncated: 8 bytes needed for section name and count, " + (end - at) + " left");
            }
            long nameOffset = bytes.u32(at);
            long count = bytes.u32(at + 4);
            if (!btf.strings().contains(nameOffset)) {
                throw new BtfFormatException("BTF.ext: " + subsection + " block at byte " + at
                        + ": section name offset " + nameOffset + " is outside the string section ("
                        + btf.strings().length() + " bytes)");
            }
            String section = btf.strings().at(nameOffset);
            at += 8;
            if (count * recordSize > end - at) {
                throw new BtfFormatException("BTF.ext: " + subsection + " of section '" + section + "' at byte "
                        + (at - 8) + ": " + count + " records of " + recordSize + " bytes exceed the "
                        + (end - at) + " bytes left");
            }
            for (int i = 0; i < count; i++) {
                records.add(reader.read(new Place(subsection, section, i, at)));
                at += (int) recordSize;
            }
        }
        return List.copyOf(records);
    }

    private long insnOffset(Place place) {
        long offset = bytes.u32(place.at());
        if (offset % INSTRUCTION_SIZE != 0) {
            throw place.fail("insn_off " + offset + " is not a multiple of " + INSTRUCTION_SIZE + " bytes");
        }
        return offset;
    }

    private int typeId(Place place, long id, String field) {
        if (id > btf.lastTypeId()) {
            throw place.fail(field + " refers to type " + id + ", but the last type id is " + btf.lastTypeId());
        }
        if (id == 0) {
            throw place.fail(field + " refers to void (type 0)");
        }
        return (int) id;
    }

    private String string(Place place, long offset, String field) {
        if (!btf.strings().contains(offset)) {
            throw place.fail(field + " offset " + offset + " is outside the string section ("
                    + btf.strings().length() + " bytes)");
        }
        return btf.strings().at(offset);
    }

    /** "0:1:2" to [0, 1, 2]: non-empty decimal indices separated by single colons. */
    private static List<Integer> accessPath(Place place, String access) {
        if (!access.matches("[0-9]+(:[0-9]+)*")) {
            throw place.fail("access string '" + access + "' is not indices separated by ':'");
        }
        List<Integer> path = new ArrayList<>();
        for (String index : access.split(":")) {
            try {
                path.add(Integer.parseInt(index));
            } catch (NumberFormatException e) {
                throw place.fail("access string '" + access + "' has index " + index + " out of range");
            }
        }
        return path;
    }
}
