package org.ebpf4j.cli;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.EnumValue;
import org.ebpf4j.btf.IntEncoding;
import org.ebpf4j.btf.Member;

/**
 * A map key or value read through its BTF type, as bpftool's "formatted" dump does: integers as numbers, enums by
 * name, structs as member -> value, a union as its first member (the one C initialises), arrays as lists, char
 * arrays as strings, pointers in hex, a global data section as variable -> value. The result is a JSON model
 * ({@link Json}) that {@link #text} also prints on one line.
 */
final class BtfValues {
    private final Btf btf;
    private final ByteOrder order;
    private final GlobalDataLayout layout;

    BtfValues(Btf btf, ByteOrder order, GlobalDataLayout layout) {
        this.btf = btf;
        this.order = order;
        this.layout = layout;
    }

    Object read(int typeId, byte[] bytes) {
        return read(typeId, bytes, 0);
    }

    private Object read(int typeId, byte[] bytes, long bitOffset) {
        int id = btf.resolve(typeId);
        if (id == 0) {
            return null;
        }
        return switch (btf.type(id)) {
            case BtfType.Int i -> integer(i, bytes, bitOffset + i.bitOffset(), i.bits());
            case BtfType.Enum e -> enumerator(e.values(), e.signed(), unsigned(bytes, bitOffset, (int) e.size() * 8),
                    (int) e.size());
            case BtfType.Enum64 e -> enumerator(e.values(), e.signed(), unsigned(bytes, bitOffset, 64), 8);
            case BtfType.Ptr p -> "0x" + unsigned(bytes, bitOffset, Btf.POINTER_SIZE * 8).toString(16);
            case BtfType.Array a -> array(a, bytes, bitOffset);
            case BtfType.Struct s -> members(s.members(), bytes, bitOffset, false);
            case BtfType.Union u -> members(u.members(), bytes, bitOffset, true);
            case BtfType.Datasec d -> variables(d, bytes);
            case BtfType.Var v -> read(v.type(), bytes, bitOffset);
            default -> hex(bytes, bitOffset, btf.sizeOf(id));
        };
    }

    private Object integer(BtfType.Int type, byte[] bytes, long bitOffset, int bits) {
        BigInteger raw = unsigned(bytes, bitOffset, bits);
        if (type.encoding() == IntEncoding.BOOL) {
            return raw.signum() != 0;
        }
        if (type.encoding() == IntEncoding.SIGNED && raw.testBit(bits - 1)) {
            raw = raw.subtract(BigInteger.ONE.shiftLeft(bits));
        }
        return raw.bitLength() < 64 ? (Object) raw.longValue() : raw;
    }

    private static Object enumerator(List<EnumValue> values, boolean signed, BigInteger raw, int size) {
        long bits = raw.longValue();
        if (signed && size < 8 && raw.testBit(size * 8 - 1)) {
            bits |= -1L << (size * 8);
        }
        for (EnumValue v : values) {
            if (v.value() == bits) {
                return v.name();
            }
        }
        return signed ? (Object) bits : raw;
    }

    private Object array(BtfType.Array a, byte[] bytes, long bitOffset) {
        long elementBits = btf.sizeOf(a.elementType()) * 8;
        if (isChar(a.elementType())) {
            StringBuilder s = new StringBuilder();
            for (long i = 0; i < a.length(); i++) {
                int c = unsigned(bytes, bitOffset + i * 8, 8).intValue();
                if (c == 0) {
                    return s.toString();
                }
                if (c < 0x20 || c > 0x7e) {
                    s = null;
                    break;
                }
                s.append((char) c);
            }
            if (s != null) {
                return s.toString();
            }
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < a.length(); i++) {
            out.add(read(a.elementType(), bytes, bitOffset + i * elementBits));
        }
        return out;
    }

    private boolean isChar(int typeId) {
        return btf.type(btf.resolve(typeId)) instanceof BtfType.Int i && i.size() == 1
                && (i.encoding() == IntEncoding.CHAR || i.name().equals("char"));
    }

    private Map<String, Object> members(List<Member> members, byte[] bytes, long bitOffset, boolean union) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Member m : members) {
            Object value = m.isBitfield()
                    ? bitfield(m, bytes, bitOffset + m.bitOffset())
                    : read(m.type(), bytes, bitOffset + m.bitOffset());
            out.put(m.name().isEmpty() ? "(anon)" : m.name(), value);
            if (union) {
                break;
            }
        }
        return out;
    }

    private Object bitfield(Member m, byte[] bytes, long bitOffset) {
        if (btf.type(btf.resolve(m.type())) instanceof BtfType.Int i) {
            return integer(i, bytes, bitOffset, m.bitfieldSize());
        }
        return unsigned(bytes, bitOffset, m.bitfieldSize());
    }

    private Map<String, Object> variables(BtfType.Datasec section, byte[] bytes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (DatasecVar v : section.vars()) {
            String name = btf.type(v.type()) instanceof BtfType.Var var ? var.name() : "(var " + v.type() + ")";
            out.put(name, read(v.type(), bytes, layout.offset(section.name(), name, v) * 8));
        }
        return out;
    }

    /** {@code bits} bits at {@code bitOffset}: little endian bit numbering, or whole big-endian bytes. */
    private BigInteger unsigned(byte[] bytes, long bitOffset, int bits) {
        BigInteger value = BigInteger.ZERO;
        if (order == ByteOrder.BIG_ENDIAN && bitOffset % 8 == 0 && bits % 8 == 0) {
            for (int i = 0; i < bits / 8; i++) {
                value = value.shiftLeft(8).or(BigInteger.valueOf(bytes[(int) (bitOffset / 8) + i] & 0xff));
            }
            return value;
        }
        for (int i = bits - 1; i >= 0; i--) {
            long bit = bitOffset + i;
            int b = bytes[(int) (bit / 8)] >> (bit % 8) & 1;
            value = value.shiftLeft(1).or(BigInteger.valueOf(b));
        }
        return value;
    }

    private static String hex(byte[] bytes, long bitOffset, long size) {
        StringBuilder s = new StringBuilder();
        for (long i = 0; i < size; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[(int) (bitOffset / 8 + i)]));
        }
        return s.toString();
    }

    /** The model on one line: {@code {packets: 51, bytes: 3060}}, {@code [1, 2]}, {@code "text"}. */
    static String text(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> m -> {
                StringBuilder s = new StringBuilder("{");
                m.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k).append(": ").append(text(v)));
                yield s.append('}').toString();
            }
            case List<?> l -> {
                StringBuilder s = new StringBuilder("[");
                l.forEach(v -> s.append(s.length() > 1 ? ", " : "").append(text(v)));
                yield s.append(']').toString();
            }
            case String str -> '"' + str.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            default -> value.toString();
        };
    }
}
