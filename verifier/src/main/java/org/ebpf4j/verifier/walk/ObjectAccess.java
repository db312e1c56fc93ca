package org.ebpf4j.verifier.walk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.scalar.ScalarAlu;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;

/**
 * Loads, stores and atomics through pointers into sized objects: map values (check_mem_access's PTR_TO_MAP_VALUE
 * case) and memory such as ring-buffer records (its PTR_TO_MEM case). For map values, in the kernel's order: alignment when strict, what the program may do with the map (BPF_F_RDONLY_PROG,
 * BPF_F_WRONLY_PROG), then the bytes within the value for every offset the pointer's variable part allows
 * (check_mem_region_access). A load from a frozen read-only array reads the constant stored there.
 */
final class ObjectAccess {
    private ObjectAccess() {}

    enum Kind { READ, WRITE }

    /** What a load of {@code size} bytes at {@code insnOff} from {@code ptr} puts in its register. */
    static RegisterType load(int regno, PtrToMapValue ptr, int insnOff, int size, boolean signExtend,
                             boolean strict, int idx) {
        check(regno, ptr, insnOff, size, Kind.READ, strict, idx);
        MapSpec map = ptr.map();
        // Only arrays can be read at load time (map_direct_value_addr); other read-only maps give numbers.
        if (ptr.varOff().isConst() && isReadOnly(map) && map.type() == MapType.ARRAY) {
            return ScalarValue.constant(constant(map, (int) (ptr.off() + insnOff + ptr.varOff().bits().value()),
                    size, signExtend, idx));
        }
        return signExtend || size == Limits.REG_SIZE ? ScalarValue.unknown()
                : new ScalarValue(ScalarAlu.truncate(Scalar.unknown(), size));
    }

    /** Checks an access of {@code size} bytes at {@code insnOff} from {@code ptr}. */
    static void check(int regno, PtrToMapValue ptr, int insnOff, int size, Kind kind, boolean strict, int idx) {
        if (ptr.orNull()) {
            throw VerificationFailure.rule(idx, "R%d invalid mem access '%s'", regno, ptr.kernelName());
        }
        if (strict && size > 1 && !ptr.varOff().bits().add(
                org.ebpf4j.verifier.scalar.Tnum.constant(ptr.off() + insnOff)).isAligned(size)) {
            throw VerificationFailure.rule(idx, "misaligned value access off %s+%d+%d size %d",
                    tnumText(ptr.varOff()), ptr.off(), insnOff, size);
        }
        int off = ptr.off() + insnOff;
        checkAccessType(regno, ptr.map(), off, size, kind, idx);
        checkRegion(regno, ptr.varOff(), off, size, ptr.map().valueSize(), false, idx, "map value",
                "value_size");
    }

    /** check_mem_access's PTR_TO_MEM case: a record of {@code size} bytes, not NULL, within its bounds. */
    /** A load ({@code load}) or store through a map key pointer (a for_each_map_elem callback's r2). */
    static RegisterType key(int regno, RegisterType.PtrToMapKey ptr, int insnOff, int size, boolean load,
                            boolean strict, int idx) {
        if (strict && size > 1 && !ptr.varOff().bits().add(
                org.ebpf4j.verifier.scalar.Tnum.constant(ptr.off() + insnOff)).isAligned(size)) {
            throw VerificationFailure.rule(idx, "misaligned access off %s+%d+%d size %d", tnumText(ptr.varOff()),
                    ptr.off(), insnOff, size);
        }
        checkRegion(regno, ptr.varOff(), ptr.off() + insnOff, size, ptr.map().keySize(), false, idx, "map key",
                "key_size");
        return !load ? null : size == Limits.REG_SIZE ? ScalarValue.unknown()
                : new ScalarValue(ScalarAlu.truncate(Scalar.unknown(), size));
    }

    static RegisterType memory(int regno, RegisterType.PtrToMem ptr, int insnOff, int size, boolean load,
                               boolean strict, int idx) {
        if (ptr.orNull()) {
            throw VerificationFailure.rule(idx, "R%d invalid mem access '%s'", regno, ptr.kernelName());
        }
        if (strict && size > 1 && !ptr.varOff().bits().add(
                org.ebpf4j.verifier.scalar.Tnum.constant(ptr.off() + insnOff)).isAligned(size)) {
            throw VerificationFailure.rule(idx, "misaligned access off %s+%d+%d size %d", tnumText(ptr.varOff()),
                    ptr.off(), insnOff, size);
        }
        checkRegion(regno, ptr.varOff(), ptr.off() + insnOff, size, ptr.size(), false, idx, "memory", "mem_size");
        return !load ? null : size == Limits.REG_SIZE ? ScalarValue.unknown()
                : new ScalarValue(ScalarAlu.truncate(Scalar.unknown(), size));
    }

    /** check_map_access_type: what bpf_map_flags_to_cap lets programs do with the map. */
    static void checkAccessType(int regno, MapSpec map, int off, int size, Kind kind, int idx) {
        if (kind == Kind.WRITE && (programFlags(map) & MapFlags.BPF_F_RDONLY_PROG) != 0) {
            throw VerificationFailure.rule(idx, "write into map forbidden, value_size=%d off=%d size=%d",
                    map.valueSize(), off, size);
        }
        if (kind == Kind.READ && (map.flags() & MapFlags.BPF_F_WRONLY_PROG) != 0) {
            throw VerificationFailure.rule(idx, "read from map forbidden, value_size=%d off=%d size=%d",
                    map.valueSize(), off, size);
        }
    }

    /**
     * check_mem_region_access: {@code size} bytes at {@code off} plus every value of the pointer's variable part
     * {@code var} must lie within {@code memSize} bytes.
     */
    static void checkRegion(int regno, Scalar var, int off, int size, int memSize, boolean zeroSizeAllowed, int idx,
                            String what, String sizeName) {
        long smin = var.smin();
        if (smin < 0 && (smin == Long.MIN_VALUE || off + smin != (int) (off + smin) || smin + off < 0)) {
            throw VerificationFailure.rule(idx, "R%d min value is negative, either use unsigned index or do a if "
                    + "(index >=0) check.", regno);
        }
        String bad = outside(smin + off, size, memSize, zeroSizeAllowed, what, sizeName);
        if (bad != null) {
            throw VerificationFailure.rule(idx, "%s\nR%d min value is outside of the allowed memory range", bad,
                    regno);
        }
        if (Long.compareUnsigned(var.umax(), Limits.MAX_VAR_OFF) >= 0) {
            throw VerificationFailure.rule(idx, "R%d unbounded memory access, make sure to bounds check any such "
                    + "access", regno);
        }
        bad = outside(var.umax() + off, size, memSize, zeroSizeAllowed, what, sizeName);
        if (bad != null) {
            throw VerificationFailure.rule(idx, "%s\nR%d max value is outside of the allowed memory range", bad,
                    regno);
        }
    }

    /** __check_mem_access: null when the access fits, else the kernel's first line. */
    private static String outside(long off64, int size, int memSize, boolean zeroSizeAllowed, String what,
                                  String sizeName) {
        int off = (int) off64;
        boolean sizeOk = size > 0 || (size == 0 && zeroSizeAllowed);
        if (off >= 0 && sizeOk && (long) off + size <= memSize) {
            return null;
        }
        return String.format("invalid access to %s, %s=%d off=%d size=%d", what, sizeName, memSize, off, size);
    }

    /** bpf_map_is_rdonly: programs may only read it and user space can no longer write it. */
    static boolean isReadOnly(MapSpec map) {
        return (programFlags(map) & MapFlags.BPF_F_RDONLY_PROG) != 0 && map.frozen();
    }

    /**
     * The map's flags as the kernel holds them after creation: device maps are always BPF_F_RDONLY_PROG
     * (dev_map_init_map sets it, since their lookups point at the device's own entry).
     */
    static int programFlags(MapSpec map) {
        boolean deviceMap = map.type() == MapType.DEVMAP || map.type() == MapType.DEVMAP_HASH;
        return map.flags() | (deviceMap ? MapFlags.BPF_F_RDONLY_PROG : 0);
    }

    /** bpf_map_direct_read: the value's bytes at {@code off}, as the load reads them. */
    private static long constant(MapSpec map, int off, int size, boolean signExtend, int idx) {
        if (map.type() != MapType.ARRAY || map.maxEntries() != 1) {
            // The kernel fails the load without a message (map_direct_value_addr refuses).
            throw VerificationFailure.unsupported(idx, "loads from frozen read-only maps other than single-element "
                    + "arrays");
        }
        ByteBuffer in = ByteBuffer.wrap(contents(map)).order(ByteOrder.LITTLE_ENDIAN);
        return switch (size) {
            case 1 -> signExtend ? in.get(off) : in.get(off) & 0xffL;
            case 2 -> signExtend ? in.getShort(off) : in.getShort(off) & 0xffffL;
            case 4 -> signExtend ? in.getInt(off) : in.getInt(off) & 0xffffffffL;
            default -> in.getLong(off);
        };
    }

    /** A single-element array's value as created: its first entry's bytes, zero elsewhere. */
    static byte[] contents(MapSpec map) {
        byte[] value = new byte[map.valueSize()];
        for (MapSpec.MapEntry e : map.contents()) {
            if (e instanceof MapSpec.MapEntry.Bytes b && isKeyZero(b.key())) {
                System.arraycopy(b.value(), 0, value, 0, Math.min(value.length, b.value().length));
            }
        }
        return value;
    }

    private static boolean isKeyZero(byte[] key) {
        for (byte b : key) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** tnum_strn as 6.18 prints a pointer's variable part in messages: a constant as its value. */
    static String tnumText(Scalar var) {
        return var.bits().isConst() ? Long.toString(var.bits().value())
                : String.format("(%#x; %#x)", var.bits().value(), var.bits().mask());
    }
}
