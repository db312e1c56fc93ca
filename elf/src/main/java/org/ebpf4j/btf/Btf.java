package org.ebpf4j.btf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.ebpf4j.isa.BpfException;

/**
 * The types and strings of one {@code .BTF} section, or of a raw BTF file such as {@code /sys/kernel/btf/vmlinux},
 * parsed and fully checked. Type ids are 1-based; id 0 is void and has no {@link BtfType}. Immutable and safe to share
 * between threads.
 *
 * <p>Split BTF (a module's types on top of vmlinux's) is not supported yet.
 */
public final class Btf {
    /** BPF is a 64-bit target: every pointer is 8 bytes, whatever BTF says about {@code long}. */
    public static final int POINTER_SIZE = 8;

    private final BtfHeader header;
    private final BtfStrings strings;
    private final List<BtfType> types;
    private volatile Map<String, List<Integer>> idsByName;

    private Btf(BtfHeader header, BtfStrings strings, List<BtfType> types) {
        this.header = header;
        this.strings = strings;
        this.types = types;
    }

    /**
     * Parses a {@code .BTF} section (or raw BTF file) in either byte order, which the magic tells.
     *
     * @throws BtfFormatException naming the field, type id and byte offset (from the start of {@code section}) of
     *     the first thing that is wrong
     */
    public static Btf parse(byte[] section) {
        byte[] data = section.clone();
        BtfHeader header = BtfHeader.read(data);
        SectionBytes bytes = new SectionBytes(data, header.order());
        BtfStrings strings = BtfStrings.read(data, (int) header.stringStart(), (int) header.stringLength());
        int typeStart = (int) header.typeStart();
        List<BtfType> types = BtfTypeReader.read(bytes, strings, typeStart, typeStart + (int) header.typeLength());
        if (types.size() > BtfLimits.MAX_TYPE_ID) {
            throw new BtfFormatException("BTF: " + types.size() + " types exceed the maximum of "
                    + BtfLimits.MAX_TYPE_ID);
        }
        Btf btf = new Btf(header, strings, List.copyOf(types));
        BtfReferenceCheck.check(btf);
        return btf;
    }

    public BtfHeader header() {
        return header;
    }

    public ByteOrder order() {
        return header.order();
    }

    public BtfStrings strings() {
        return strings;
    }

    /** The highest type id, which is also the number of types. */
    public int lastTypeId() {
        return types.size();
    }

    /** All types in id order: element {@code i} has id {@code i + 1}. */
    public List<BtfType> types() {
        return types;
    }

    /** The type with this id (1 to {@link #lastTypeId()}). */
    public BtfType type(int id) {
        if (id < 1 || id > types.size()) {
            throw new IllegalArgumentException(id == 0 ? "BTF: type 0 is void, which has no type record"
                    : "BTF: no type " + id + " (the last type id is " + types.size() + ")");
        }
        return types.get(id - 1);
    }

    /** Ids of all types with this name, of any kind, in id order. */
    public List<Integer> typeIds(String name) {
        return nameIndex().getOrDefault(name, List.of());
    }

    /** Ids of the types with this name and kind, in id order. */
    public List<Integer> typeIds(String name, BtfKind kind) {
        return typeIds(name).stream().filter(id -> type(id).kind() == kind).toList();
    }

    /** The first type with this name and kind. */
    public OptionalInt typeId(String name, BtfKind kind) {
        for (int id : typeIds(name)) {
            if (type(id).kind() == kind) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The id reached from {@code id} by skipping typedefs, CONST, VOLATILE, RESTRICT and TYPE_TAG: the type that
     * says what the value is. May be 0 (void).
     */
    public int resolve(int id) {
        int current = id;
        while (current != 0) {
            switch (type(current)) {
                case BtfType.Typedef typedef -> current = typedef.type();
                case BtfType.Qualifier qualifier -> current = qualifier.type();
                default -> {
                    return current;
                }
            }
        }
        return 0;
    }

    /**
     * Size in bytes of a value of type {@code id}, through typedefs, qualifiers, variables and arrays.
     *
     * @throws BpfException for void, FWD, FUNC, FUNC_PROTO and DECL_TAG, which have no size, or on overflow
     */
    public long sizeOf(int id) {
        long size = sizeIfKnown(id);
        if (size < 0) {
            throw new BpfException("BTF: " + describe(unsizedCause(id)) + " has no size"
                    + (unsizedCause(id) == id ? "" : " (reached from " + describe(id) + ")"));
        }
        return size;
    }

    /** Like {@link #sizeOf} but -1 where there is no size; the loop ends because parsing rejected cycles. */
    long sizeIfKnown(int id) {
        long count = 1;
        int current = id;
        try {
            while (current != 0) {
                switch (type(current)) {
                    case BtfType.Int t -> { return Math.multiplyExact(count, t.size()); }
                    case BtfType.Enumeration t -> { return Math.multiplyExact(count, t.size()); }
                    case BtfType.Composite t -> { return Math.multiplyExact(count, t.size()); }
                    case BtfType.Float t -> { return Math.multiplyExact(count, t.size()); }
                    case BtfType.Datasec t -> { return Math.multiplyExact(count, t.size()); }
                    case BtfType.Ptr ignored -> { return Math.multiplyExact(count, POINTER_SIZE); }
                    case BtfType.Array array -> {
                        count = Math.multiplyExact(count, array.length());
                        current = array.elementType();
                    }
                    case BtfType.Typedef typedef -> current = typedef.type();
                    case BtfType.Qualifier qualifier -> current = qualifier.type();
                    case BtfType.Var var -> current = var.type();
                    case BtfType.Fwd ignored -> { return -1; }
                    case BtfType.Func ignored -> { return -1; }
                    case BtfType.FuncProto ignored -> { return -1; }
                    case BtfType.DeclTag ignored -> { return -1; }
                }
            }
            return -1;
        } catch (ArithmeticException overflow) {
            throw new BpfException("BTF: the size of " + describe(id) + " overflows 64 bits");
        }
    }

    /** The type without a size that sizing {@code id} ends at. */
    private int unsizedCause(int id) {
        int current = id;
        while (current != 0) {
            switch (type(current)) {
                case BtfType.Array array -> current = array.elementType();
                case BtfType.Typedef typedef -> current = typedef.type();
                case BtfType.Qualifier qualifier -> current = qualifier.type();
                case BtfType.Var var -> current = var.type();
                default -> {
                    return current;
                }
            }
        }
        return 0;
    }

    /**
     * The member called {@code name} of the STRUCT or UNION that {@code id} resolves to, searching inside anonymous
     * struct and union members as C does. The returned member's bit offset is from the start of the outer type.
     */
    public Optional<Member> member(int id, String name) {
        if (!(type(resolve(id)) instanceof BtfType.Composite)) {
            throw new IllegalArgumentException("BTF: " + describe(id) + " is not a struct or union");
        }
        return member(id, name, 0);
    }

    /**
     * Parsing does not reject a struct that holds itself as an anonymous member (C cannot, BTF can say it), so
     * the search stops at a depth no real type reaches instead of recursing without end.
     */
    private static final int MAX_ANONYMOUS_DEPTH = 64;

    private Optional<Member> member(int id, String name, int depth) {
        if (depth > MAX_ANONYMOUS_DEPTH || !(type(resolve(id)) instanceof BtfType.Composite composite)) {
            return Optional.empty();
        }
        for (Member member : composite.members()) {
            if (member.name().equals(name)) {
                return Optional.of(member);
            }
            if (member.name().isEmpty() && resolve(member.type()) != 0) {
                Optional<Member> inner = member(member.type(), name, depth + 1);
                if (inner.isPresent()) {
                    Member found = inner.get();
                    return Optional.of(new Member(found.name(), found.type(),
                            member.bitOffset() + found.bitOffset(), found.bitfieldSize()));
                }
            }
        }
        return Optional.empty();
    }

    /** "type 17 (STRUCT 'foo')", "type 0 (void)": how messages name a type. */
    public String describe(int id) {
        if (id == 0) {
            return "type 0 (void)";
        }
        BtfType type = type(id);
        return label(id, type.kind(), type.name());
    }

    static String label(int id, BtfKind kind, String name) {
        return "type " + id + " (" + kind + " '" + (name.isEmpty() ? "(anon)" : name) + "')";
    }

    private Map<String, List<Integer>> nameIndex() {
        Map<String, List<Integer>> index = idsByName;
        if (index == null) {
            Map<String, List<Integer>> building = new HashMap<>();
            for (int id = 1; id <= types.size(); id++) {
                String name = types.get(id - 1).name();
                if (!name.isEmpty()) {
                    building.computeIfAbsent(name, ignored -> new ArrayList<>(1)).add(id);
                }
            }
            building.replaceAll((name, ids) -> List.copyOf(ids));
            index = Map.copyOf(building);
            idsByName = index;
        }
        return index;
    }
}
