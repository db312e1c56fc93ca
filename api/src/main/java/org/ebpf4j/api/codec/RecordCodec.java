package org.ebpf4j.api.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ebpf4j.btf.Btf;

/**
 * A C struct as a Java record: one member per record component, in declaration order, each at the next offset its
 * alignment allows; the struct's size is rounded up to its largest member alignment, as clang does for BPF. Padding
 * bytes are zero in what {@link #encode} returns.
 *
 * <p>Component types: {@code boolean} (_Bool), {@code byte}, {@code short}, {@code char}, {@code int},
 * {@code long}, {@code float}, {@code double} (and their boxes), nested records, and arrays or {@link String}s
 * with a {@link CArray} length. Integers carry the C value's bits: a {@code __u32} of 0xffffffff reads as -1, as
 * {@link Integer#toUnsignedLong} reverses.
 *
 * @param <R> the record type
 */
public final class RecordCodec<R extends Record> implements Codec<R> {
    /** A member of the struct: the record component's name, its offset and its codec. */
    public record Member(String name, int offset, Codec<?> codec) {}

    private final Class<R> type;
    private final List<Member> members;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;
    private final int size;
    private final int alignment;

    private RecordCodec(Class<R> type, List<Member> members, MethodHandle[] accessors, MethodHandle constructor,
            int size, int alignment) {
        this.type = type;
        this.members = members;
        this.accessors = accessors;
        this.constructor = constructor;
        this.size = size;
        this.alignment = alignment;
    }

    static <R extends Record> RecordCodec<R> of(Class<R> type) {
        return build(type, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static <R extends Record> RecordCodec<R> build(Class<R> type, Set<Class<?>> enclosing) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        if (!enclosing.add(type)) {
            throw new IllegalArgumentException("record " + type.getName() + " contains itself: a C struct cannot");
        }
        RecordComponent[] components = type.getRecordComponents();
        List<Member> members = new ArrayList<>(components.length);
        MethodHandle[] accessors = new MethodHandle[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        int offset = 0;
        int alignment = 1;
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                Codec<?> codec = componentCodec(type, component, enclosing);
                offset = alignUp(offset, codec.alignment());
                members.add(new Member(component.getName(), offset, codec));
                offset = Math.addExact(offset, codec.size());
                alignment = Math.max(alignment, codec.alignment());
                component.getAccessor().setAccessible(true);
                accessors[i] = lookup.unreflect(component.getAccessor());
                parameterTypes[i] = component.getType();
            }
            Constructor<R> canonical = type.getDeclaredConstructor(parameterTypes);
            canonical.setAccessible(true);
            MethodHandle constructor = lookup.unreflectConstructor(canonical);
            enclosing.remove(type);
            return new RecordCodec<>(type, List.copyOf(members), accessors, constructor, alignUp(offset, alignment),
                    alignment);
        } catch (InaccessibleObjectException | IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalArgumentException("record " + type.getName() + " is not accessible to ebpf4j ("
                    + e.getMessage() + "); open its package to module org.ebpf4j.api or make it public", e);
        }
    }

    private static final Map<Class<?>, Codec<?>> SCALARS = Map.ofEntries(
            Map.entry(boolean.class, Codecs.bool()), Map.entry(Boolean.class, Codecs.bool()),
            Map.entry(byte.class, Codecs.int8()), Map.entry(Byte.class, Codecs.int8()),
            Map.entry(short.class, Codecs.int16()), Map.entry(Short.class, Codecs.int16()),
            Map.entry(char.class, new ScalarCodec.Char16()), Map.entry(Character.class, new ScalarCodec.Char16()),
            Map.entry(int.class, Codecs.int32()), Map.entry(Integer.class, Codecs.int32()),
            Map.entry(long.class, Codecs.int64()), Map.entry(Long.class, Codecs.int64()),
            Map.entry(float.class, Codecs.float32()), Map.entry(Float.class, Codecs.float32()),
            Map.entry(double.class, Codecs.float64()), Map.entry(Double.class, Codecs.float64()));

    private static Codec<?> componentCodec(Class<?> owner, RecordComponent component, Set<Class<?>> enclosing) {
        Class<?> t = component.getType();
        CArray length = component.getAnnotation(CArray.class);
        String where = "record " + owner.getSimpleName() + " component '" + component.getName() + "'";
        boolean sized = t.isArray() || t == String.class;
        if (sized != (length != null)) {
            throw new IllegalArgumentException(where + (sized
                    ? ": " + t.getSimpleName() + " needs @CArray(length) to have a C layout"
                    : ": @CArray applies only to arrays and Strings, not " + t.getSimpleName()));
        }
        if (t == String.class) {
            return new CStringCodec(length.value());
        }
        if (t == byte[].class) {
            return new BytesCodec(length.value());
        }
        if (t.isArray()) {
            Class<?> element = t.getComponentType();
            return new ArrayCodec<>(element, elementCodec(where, element, enclosing), length.value());
        }
        return elementCodec(where, t, enclosing);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Codec<?> elementCodec(String where, Class<?> t, Set<Class<?>> enclosing) {
        Codec<?> scalar = SCALARS.get(t);
        if (scalar != null) {
            return scalar;
        }
        if (t.isRecord()) {
            return build((Class) t, enclosing);
        }
        throw new IllegalArgumentException(where + ": " + t.getName() + " has no C layout (use primitives, records,"
                + " or arrays and Strings with @CArray; arrays of arrays are not supported)");
    }

    private static int alignUp(int offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** The record type. */
    public Class<R> type() {
        return type;
    }

    /** The struct's members in order, with their offsets. */
    public List<Member> members() {
        return members;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int alignment() {
        return alignment;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void write(R value, byte[] out, int offset) {
        for (int i = 0; i < accessors.length; i++) {
            Member member = members.get(i);
            Object component;
            try {
                component = accessors[i].invoke(value);
            } catch (Throwable e) {
                throw new IllegalStateException("reading " + type.getSimpleName() + "." + member.name() + ": " + e, e);
            }
            if (component == null) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + member.name()
                        + " is null: a C struct member always has a value");
            }
            ((Codec<Object>) member.codec()).write(component, out, offset + member.offset());
        }
    }

    @Override
    public R read(byte[] in, int offset) {
        Object[] arguments = new Object[members.size()];
        for (int i = 0; i < arguments.length; i++) {
            Member member = members.get(i);
            arguments[i] = member.codec().read(in, offset + member.offset());
        }
        try {
            return type.cast(constructor.invokeWithArguments(arguments));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("constructing " + type.getSimpleName() + ": " + e, e);
        }
    }

    /**
     * Checks that this record has the layout of the BTF type {@code typeId} (a struct, through typedefs and
     * qualifiers): same size, and member by member the same offset, size and shape. Names are compared loosely
     * (case and underscores ignored) so that {@code ingressIfindex} matches {@code ingress_ifindex}.
     *
     * @throws IllegalArgumentException naming the first difference
     */
    public void checkAgainst(Btf btf, int typeId) {
        new BtfLayoutCheck(btf).check(this, typeId);
    }

    @Override
    public String toString() {
        return "struct " + type.getSimpleName();
    }
}
