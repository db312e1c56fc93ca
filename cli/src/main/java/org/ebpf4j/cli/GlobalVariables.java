package org.ebpf4j.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.IntEncoding;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;

/**
 * {@code --set NAME=VALUE}: writes an integer global variable ({@code const volatile} in {@code .rodata}, or in
 * {@code .data}/{@code .bss}) into the collection's initial global data before loading, found by name through the
 * object's BTF: what a libbpf user does with {@code skel->rodata->NAME = VALUE} between open and load.
 */
final class GlobalVariables {
    private GlobalVariables() {}

    static CollectionSpec set(CollectionSpec spec, GlobalDataLayout layout, Map<String, String> assignments) {
        if (assignments.isEmpty()) {
            return spec;
        }
        Btf btf = spec.btf().orElseThrow(() -> new CliException(spec.name()
                + " has no BTF: --set finds global variables by their BTF names"));
        Map<String, MapSpec> maps = new LinkedHashMap<>(spec.maps());
        for (var assignment : assignments.entrySet()) {
            String name = assignment.getKey();
            Located found = locate(spec, btf, layout, name);
            MapSpec map = maps.get(found.map);
            MapSpec.MapEntry.Bytes entry = (MapSpec.MapEntry.Bytes) map.contents().getFirst();
            byte[] value = entry.value().clone();
            byte[] bytes = encode(name, assignment.getValue(), (int) found.size, found.signed);
            for (int i = 0; i < bytes.length; i++) {
                // Little-endian bytes; a big-endian object stores them reversed.
                int at = spec.byteOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? i : bytes.length - 1 - i;
                value[(int) found.offset + at] = bytes[i];
            }
            maps.put(found.map, map.withContents(List.of(new MapSpec.MapEntry.Bytes(entry.key(), value))));
        }
        return new CollectionSpec(spec.name(), spec.programs(), maps, spec.kconfigExterns(), spec.btf(),
                spec.byteOrder());
    }

    private record Located(String map, long offset, long size, boolean signed) {}

    private static Located locate(CollectionSpec spec, Btf btf, GlobalDataLayout layout, String name) {
        List<String> known = new ArrayList<>();
        for (MapSpec map : spec.maps().values()) {
            if (map.origin() != MapSpec.Origin.GLOBAL_DATA || map.btfValueTypeId() == 0
                    || !(btf.type(map.btfValueTypeId()) instanceof BtfType.Datasec section)) {
                continue;
            }
            for (DatasecVar v : section.vars()) {
                if (!(btf.type(v.type()) instanceof BtfType.Var variable)) {
                    continue;
                }
                BtfType type = btf.type(btf.resolve(variable.type()));
                boolean integer = type instanceof BtfType.Int || type instanceof BtfType.Enum;
                if (integer) {
                    known.add(variable.name());
                }
                if (!variable.name().equals(name)) {
                    continue;
                }
                if (!integer) {
                    throw new CliException("--set " + name + ": the variable is " + btf.describe(variable.type())
                            + ", not an integer");
                }
                boolean signed = type instanceof BtfType.Int i ? i.encoding() == IntEncoding.SIGNED
                        : ((BtfType.Enum) type).signed();
                return new Located(map.name(), layout.offset(section.name(), name, v), v.size(), signed);
            }
        }
        throw new CliException("--set " + name + ": " + spec.name() + " has no integer global variable '" + name
                + "'; its integer globals are " + known);
    }

    /** The value in {@code size} little-endian bytes, checked against the type's range. */
    private static byte[] encode(String name, String text, int size, boolean signed) {
        BigInteger value;
        try {
            String t = text.strip();
            boolean negative = t.startsWith("-");
            String digits = negative ? t.substring(1) : t;
            value = digits.startsWith("0x") || digits.startsWith("0X") ? new BigInteger(digits.substring(2), 16)
                    : new BigInteger(digits);
            value = negative ? value.negate() : value;
        } catch (NumberFormatException e) {
            throw new CliException("--set " + name + "=" + text + ": not an integer");
        }
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(size * 8 - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(size * 8 - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(size * 8).subtract(BigInteger.ONE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new CliException("--set " + name + "=" + text + ": out of range for "
                    + (signed ? "a signed " : "an unsigned ") + size + "-byte variable [" + min + ", " + max + "]");
        }
        byte[] bytes = new byte[size];
        long bits = value.longValue();
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (bits >>> (8 * i));
        }
        return bytes;
    }
}
