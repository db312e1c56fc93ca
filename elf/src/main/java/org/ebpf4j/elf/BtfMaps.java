package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.Member;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * Map definitions in {@code .maps}: each variable is a struct whose members encode the attributes in their types,
 * libbpf's convention. {@code __uint(name, N)} is a pointer to an array of N ints; {@code __type(name, T)} a
 * pointer to T; {@code __array(values, T)} an array of pointers to T (the inner map template, or a function
 * prototype for prog arrays), whose initial elements are relocations in {@code .rel.maps}.
 */
final class BtfMaps {
    private final ElfFile elf;
    private final Btf btf;
    private final Section section;

    private BtfMaps(ElfFile elf, Btf btf, Section section) {
        this.elf = elf;
        this.btf = btf;
        this.section = section;
    }

    /** What a definition's {@code values} array holds. */
    enum Values { NONE, PROGRAMS, MAPS }

    /** One map variable of {@code .maps}, with where its {@code values} array starts (or -1). */
    record Definition(Symbol symbol, MapSpec spec, long valuesOffset, Values values) {}

    static List<Definition> read(ElfFile elf, Optional<Btf> btf, Section maps) {
        if (btf.isEmpty()) {
            throw new ObjectLoadException(elf.name(), maps.describe(), "BTF-defined maps need a .BTF section");
        }
        return new BtfMaps(elf, btf.get(), maps).read();
    }

    private List<Definition> read() {
        Map<String, Integer> varTypes = mapVariables();
        List<Definition> out = new ArrayList<>();
        for (Symbol symbol : elf.symbolsIn(section)) {
            if (symbol.type() != SymbolType.OBJECT) {
                continue;
            }
            Integer structId = varTypes.get(symbol.name());
            if (structId == null) {
                throw fail("map '" + symbol.name() + "' at offset 0x" + Long.toHexString(symbol.value())
                        + " has no variable in the BTF of .maps");
            }
            out.add(define(symbol.name(), structId, symbol));
        }
        return out;
    }

    /** Variable name to the type of its definition struct, from the {@code .maps} DATASEC. */
    private Map<String, Integer> mapVariables() {
        var id = btf.typeId(".maps", org.ebpf4j.btf.BtfKind.DATASEC);
        if (id.isEmpty()) {
            throw fail("the BTF has no DATASEC '.maps'");
        }
        Map<String, Integer> out = new HashMap<>();
        for (DatasecVar v : ((BtfType.Datasec) btf.type(id.getAsInt())).vars()) {
            if (btf.type(v.type()) instanceof BtfType.Var var) {
                out.put(var.name(), var.type());
            }
        }
        return out;
    }

    private Definition define(String name, int typeId, Symbol symbol) {
        if (!(btf.type(btf.resolve(typeId)) instanceof BtfType.Struct struct)) {
            throw fail("map '" + name + "': its definition is " + btf.describe(typeId) + ", not a struct");
        }
        var attributes = new Attributes();
        long valuesOffset = -1;
        Optional<MapSpec> inner = Optional.empty();
        Values values = Values.NONE;
        for (Member m : struct.members()) {
            switch (m.name()) {
                case "type" -> attributes.type = uint(name, m);
                case "max_entries" -> attributes.maxEntries = uint(name, m);
                case "key_size" -> attributes.keySize = sizeAttribute(name, m, attributes.keySize);
                case "value_size" -> attributes.valueSize = sizeAttribute(name, m, attributes.valueSize);
                case "map_flags" -> attributes.flags = uint(name, m);
                case "numa_node" -> attributes.numaNode = uint(name, m);
                case "map_extra" -> attributes.mapExtra = uint(name, m);
                case "pinning" -> attributes.pinning = uint(name, m);
                case "key" -> {
                    attributes.keyTypeId = pointee(name, m);
                    attributes.keySize = agree(name, "key", attributes.keySize, btf.sizeOf(attributes.keyTypeId));
                }
                case "value" -> {
                    attributes.valueTypeId = pointee(name, m);
                    attributes.valueSize = agree(name, "value", attributes.valueSize,
                            btf.sizeOf(attributes.valueTypeId));
                }
                case "values" -> {
                    valuesOffset = m.bitOffset() / 8;
                    int element = valuesElement(name, m);
                    if (btf.type(btf.resolve(element)) instanceof BtfType.Struct) {
                        inner = Optional.of(define(name + ".inner", element, null).spec());
                    } else {
                        values = Values.PROGRAMS;
                    }
                }
                default -> throw fail("map '" + name + "': unknown attribute '" + m.name() + "'");
            }
        }
        if (attributes.type < 0) {
            throw fail("map '" + name + "' has no type");
        }
        MapType type = MapType.of((int) attributes.type).orElseThrow(
                () -> fail("map '" + name + "' has unknown type " + attributes.type));
        if (inner.isPresent()) {
            values = Values.MAPS;
            // Map-in-map values are map fds: four bytes, as the kernel requires.
            attributes.valueSize = attributes.valueSize < 0 ? 4 : attributes.valueSize;
        }
        if (values == Values.PROGRAMS && type != MapType.PROG_ARRAY) {
            throw fail("map '" + name + "': 'values' of functions needs a prog array, not " + type);
        }
        if (type == MapType.PROG_ARRAY && attributes.valueSize < 0) {
            attributes.valueSize = 4;
        }
        MapPinning pinning = MapPinning.of((int) attributes.pinning).orElseThrow(
                () -> fail("map '" + name + "' has unknown pinning " + attributes.pinning));
        MapSpec spec = new MapSpec(name, type, (int) Math.max(0, attributes.keySize),
                (int) Math.max(0, attributes.valueSize), (int) attributes.maxEntries, (int) attributes.flags,
                pinning, (int) attributes.numaNode, attributes.mapExtra, inner, List.of(), false,
                attributes.keyTypeId, attributes.valueTypeId, MapSpec.Origin.BTF);
        return new Definition(symbol, spec, valuesOffset, values);
    }

    /** Attribute values as they accumulate; -1 where the definition says nothing. */
    private static final class Attributes {
        long type = -1;
        long maxEntries;
        long keySize = -1;
        long valueSize = -1;
        long flags;
        long numaNode;
        long mapExtra;
        long pinning;
        int keyTypeId;
        int valueTypeId;
    }

    /** {@code __uint}: a pointer to an array whose length is the value. */
    private long uint(String map, Member m) {
        if (btf.type(btf.resolve(m.type())) instanceof BtfType.Ptr ptr
                && btf.type(btf.resolve(ptr.type())) instanceof BtfType.Array array) {
            return array.length();
        }
        throw fail("map '" + map + "': attribute '" + m.name() + "' is " + btf.describe(m.type())
                + ", not __uint's pointer to an array");
    }

    /** {@code __type}: a pointer to the type. */
    private int pointee(String map, Member m) {
        if (btf.type(btf.resolve(m.type())) instanceof BtfType.Ptr ptr) {
            return ptr.type();
        }
        throw fail("map '" + map + "': attribute '" + m.name() + "' is " + btf.describe(m.type())
                + ", not __type's pointer");
    }

    /** {@code __array}: an array of pointers; returns what they point to. */
    private int valuesElement(String map, Member m) {
        if (btf.type(btf.resolve(m.type())) instanceof BtfType.Array array
                && btf.type(btf.resolve(array.elementType())) instanceof BtfType.Ptr ptr) {
            return ptr.type();
        }
        throw fail("map '" + map + "': 'values' is " + btf.describe(m.type()) + ", not __array's array of pointers");
    }

    private long sizeAttribute(String map, Member m, long fromType) {
        return agree(map, m.name(), fromType, uint(map, m));
    }

    private long agree(String map, String what, long earlier, long now) {
        if (earlier >= 0 && earlier != now) {
            throw fail("map '" + map + "': " + what + " size given twice, as " + earlier + " and " + now);
        }
        return now;
    }

    private ObjectLoadException fail(String detail) {
        return new ObjectLoadException(elf.name(), section.describe(), detail);
    }
}
