package org.ebpf4j.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.EnumValue;
import org.ebpf4j.btf.Member;

/**
 * Map keys and values described by their BTF types, in the text bpftool's {@code map dump} prints for maps with
 * BTF: its JSON writer's layout in pretty mode (four-space indentation, separators before the next element) and
 * its dumper's plain-text choices (integers by size and signedness, {@code char} arrays that hold a printable
 * NUL-terminated string as a string, enums by enumerator name, pointers as {@code %p}, DATASECs as an array of
 * one-variable objects).
 */
final class BtfValueText {
    private final Btf btf;
    private final StringBuilder out = new StringBuilder();
    private int depth;
    /** The separator owed before the next element: ',' after an element, none at the start of a container. */
    private char separator;

    BtfValueText(Btf btf) {
        this.btf = btf;
    }

    void startArray() {
        begin('[');
    }

    void endArray() {
        end(']');
    }

    void startObject() {
        begin('{');
    }

    void endObject() {
        end('}');
    }

    void name(String name) {
        elementSeparator();
        newline();
        separator = 0;
        out.append('"').append(name).append("\": ");
    }

    void number(long value) {
        print(Long.toString(value));
    }

    void value(int typeId, ByteBuffer data) {
        dump(typeId, data.order(ByteOrder.LITTLE_ENDIAN), 0);
    }

    /** The text, ended as bpftool's writer ends it (a newline). */
    String finish() {
        return out + "\n";
    }

    private void dump(int typeId, ByteBuffer data, int at) {
        BtfType type = btf.type(typeId);
        switch (type) {
            case BtfType.Int i -> integer(i, data, at);
            case BtfType.Enum e -> enumeration(e.values(), e.signed(), (int) e.size(), data, at);
            case BtfType.Enum64 e -> enumeration(e.values(), e.signed(), (int) e.size(), data, at);
            case BtfType.Typedef t -> dump(t.type(), data, at);
            case BtfType.Qualifier q -> dump(q.type(), data, at);
            case BtfType.Ptr p -> {
                long address = data.getLong(at);
                print(address == 0 ? "(nil)" : "0x" + Long.toHexString(address));
            }
            case BtfType.Array a -> array(a, data, at);
            case BtfType.Struct s -> members(s.members(), data, at);
            case BtfType.Union u -> members(u.members(), data, at);
            case BtfType.Var v -> {
                startObject();
                name(v.name());
                dump(v.type(), data, at);
                endObject();
            }
            case BtfType.Datasec d -> {
                startObject();
                name(d.name());
                startArray();
                for (DatasecVar v : d.vars()) {
                    dump(v.type(), data, at + (int) v.offset());
                }
                endArray();
                endObject();
            }
            case BtfType.Float f -> print(f.size() == 4 ? gFormat(data.getFloat(at))
                    : f.size() == 8 ? gFormat(data.getDouble(at)) : "(unsupported float)");
            default -> print("(" + type.kind() + ")");
        }
    }

    private void integer(BtfType.Int i, ByteBuffer data, int at) {
        if (i.bitOffset() != 0 || (i.bits() != 8 && i.bits() != 16 && i.bits() != 32 && i.bits() != 64)) {
            print("0x" + Long.toHexString(bits(data, at, i.bitOffset(), i.bits())));
            return;
        }
        switch (i.encoding()) {
            case BOOL -> print(data.get(at) != 0 ? "true" : "false");
            case CHAR -> {
                int c = data.get(at) & 0xff;
                print(c >= 0x20 && c < 0x7f ? "\"" + (char) c + "\"" : "0x" + Integer.toHexString(c));
            }
            case SIGNED -> print(Long.toString(switch (i.bits()) {
                case 8 -> data.get(at);
                case 16 -> data.getShort(at);
                case 32 -> data.getInt(at);
                default -> data.getLong(at);
            }));
            case NONE -> print(switch (i.bits()) {
                case 8 -> Integer.toString(data.get(at) & 0xff);
                case 16 -> Integer.toString(data.getShort(at) & 0xffff);
                case 32 -> Integer.toUnsignedString(data.getInt(at));
                default -> Long.toUnsignedString(data.getLong(at));
            });
        }
    }

    private void enumeration(List<EnumValue> values, boolean signed, int size, ByteBuffer data, int at) {
        long raw = switch (size) {
            case 1 -> signed ? data.get(at) : data.get(at) & 0xffL;
            case 2 -> signed ? data.getShort(at) : data.getShort(at) & 0xffffL;
            case 4 -> signed ? data.getInt(at) : data.getInt(at) & 0xffff_ffffL;
            default -> data.getLong(at);
        };
        for (EnumValue v : values) {
            if (v.value() == raw) {
                print("\"" + v.name() + "\"");
                return;
            }
        }
        print(Long.toString(raw));
    }

    private void array(BtfType.Array a, ByteBuffer data, int at) {
        int elementSize = (int) btf.sizeOf(a.elementType());
        if (isString(a, data, at)) {
            int end = at;
            while (data.get(end) != 0) {
                end++;
            }
            byte[] text = new byte[end - at];
            data.get(at, text);
            print("\"" + new String(text, java.nio.charset.StandardCharsets.US_ASCII) + "\"");
            return;
        }
        startArray();
        for (long i = 0; i < a.length(); i++) {
            dump(a.elementType(), data, at + (int) (i * elementSize));
        }
        endArray();
    }

    /** bpftool's rule: an array of 1-byte {@code char} (or CHAR-encoded) holding printable bytes up to a NUL. */
    private boolean isString(BtfType.Array a, ByteBuffer data, int at) {
        if (a.length() == 0) {
            return false;
        }
        int element = a.elementType();
        while (btf.type(element) instanceof BtfType.Qualifier q) {
            element = q.type();
        }
        if (!(btf.type(element) instanceof BtfType.Int i) || i.size() != 1
                || (i.encoding() != org.ebpf4j.btf.IntEncoding.CHAR && !i.name().equals("char"))) {
            return false;
        }
        for (int k = 0; k < a.length(); k++) {
            byte b = data.get(at + k);
            if (b == 0) {
                return true;
            }
            if (b <= 0x1f || b >= 0x7f) {
                return false;
            }
        }
        return false;
    }

    private void members(List<Member> members, ByteBuffer data, int at) {
        startObject();
        for (Member m : members) {
            name(m.name());
            if (m.isBitfield() || m.bitOffset() % 8 != 0) {
                int bits = m.isBitfield() ? m.bitfieldSize() : (int) btf.sizeOf(m.type()) * 8;
                print("0x" + Long.toHexString(bits(data, at, (int) m.bitOffset(), bits)));
            } else {
                dump(m.type(), data, at + (int) (m.bitOffset() / 8));
            }
        }
        endObject();
    }

    /** {@code bits} bits from bit {@code offset} of the little-endian data at {@code at} (at most 64). */
    private static long bits(ByteBuffer data, int at, int offset, int bits) {
        long value = 0;
        for (int i = 0; i < bits && i < 64; i++) {
            int bit = offset + i;
            if ((data.get(at + bit / 8) >> (bit % 8) & 1) != 0) {
                value |= 1L << i;
            }
        }
        return value;
    }

    private static String gFormat(double value) {
        return String.format("%g", value);
    }

    private void print(String text) {
        elementSeparator();
        out.append(text);
    }

    private void begin(char c) {
        elementSeparator();
        out.append(c);
        depth++;
        separator = 0;
    }

    private void end(char c) {
        depth--;
        if (separator != 0) {
            newline();
        }
        out.append(c);
        separator = ',';
    }

    private void elementSeparator() {
        if (separator != 0) {
            out.append(separator);
        }
        separator = ',';
    }

    private void newline() {
        out.append('\n').append("    ".repeat(depth));
    }
}
