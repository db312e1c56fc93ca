package org.ebpf4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.ebpf4j.api.codec.Codec;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * A {@link BpfMap} seen through codecs: Java keys and values instead of bytes. It holds no state of its own, so any
 * number of views may share a map, and it behaves exactly as the map does (errno included).
 *
 * <pre>{@code
 * record Flow(int saddr, short sport, byte proto, long bytes) {}
 * TypedMap<Flow, Long> counts = TypedMap.of(collection.map("counts"), Codecs.record(Flow.class), Codecs.int64());
 * counts.forEach((flow, n) -> System.out.println(flow + " " + n));
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedMap<K, V> {
    /** A key and its value, as one pass over the map saw them. */
    public record Entry<K, V>(K key, V value) {}

    private final BpfMap map;
    private final Codec<K> keys;
    private final Codec<V> values;

    private TypedMap(BpfMap map, Codec<K> keys, Codec<V> values) {
        this.map = map;
        this.keys = keys;
        this.values = values;
    }

    /**
     * A view of {@code map} with these codecs.
     *
     * @throws IllegalArgumentException when a codec's size is not the map's key or value size
     */
    public static <K, V> TypedMap<K, V> of(BpfMap map, Codec<K> keys, Codec<V> values) {
        Objects.requireNonNull(map);
        checkSize(map, "key", keys, map.keySize());
        checkSize(map, "value", values, map.valueSize());
        return new TypedMap<>(map, keys, values);
    }

    /** A view of a map without keys (queue, stack, bloom filter): only the value operations apply. */
    public static <V> TypedMap<Void, V> ofValues(BpfMap map, Codec<V> values) {
        if (map.keySize() != 0) {
            throw new IllegalArgumentException(map.type() + " map '" + map.name() + "' has " + map.keySize()
                    + "-byte keys: use TypedMap.of with a key codec");
        }
        checkSize(map, "value", values, map.valueSize());
        return new TypedMap<>(map, null, values);
    }

    private static void checkSize(BpfMap map, String what, Codec<?> codec, int expected) {
        if (codec.size() != expected) {
            throw new IllegalArgumentException(map.type() + " map '" + map.name() + "' has " + expected + "-byte "
                    + what + "s, but " + codec + " is " + codec.size() + " bytes");
        }
    }

    /** The map underneath. */
    public BpfMap map() {
        return map;
    }

    public Optional<V> get(K key) {
        return map.lookup(encodeKey(key)).map(values::decode);
    }

    /** Inserts or replaces (BPF_ANY). */
    public void put(K key, V value) {
        put(key, value, MapUpdateFlags.BPF_ANY);
    }

    /** Inserts or replaces under {@code flags} (BPF_ANY, BPF_NOEXIST, BPF_EXIST, optionally BPF_F_LOCK). */
    public void put(K key, V value, long flags) {
        map.update(encodeKey(key), values.encode(value), flags);
    }

    /** Deletes a key; false when there was none. */
    public boolean remove(K key) {
        return map.delete(encodeKey(key));
    }

    /** Per-CPU maps: the value of every CPU. */
    public Optional<List<V>> getPerCpu(K key) {
        return map.lookupPerCpu(encodeKey(key)).map(list -> list.stream().map(values::decode).toList());
    }

    /** Per-CPU maps: sets the value of every CPU. */
    public void putPerCpu(K key, List<V> perCpu, long flags) {
        map.updatePerCpu(encodeKey(key), perCpu.stream().map(values::encode).toList(), flags);
    }

    /** Queues and stacks: adds a value (BPF_ANY). */
    public void push(V value) {
        map.push(values.encode(value), MapUpdateFlags.BPF_ANY);
    }

    /** Queues and stacks: removes and returns the next value. */
    public Optional<V> pop() {
        return map.pop().map(values::decode);
    }

    /** Queues and stacks: the next value, left in place. */
    public Optional<V> peek() {
        return map.peek().map(values::decode);
    }

    /** Bloom filters: whether the value may be in the set. */
    public boolean mayContain(V value) {
        return map.contains(values.encode(value));
    }

    /** Every key in the map's order. */
    public List<K> keys() {
        requireKeys();
        return map.keys().stream().map(keys::decode).toList();
    }

    /**
     * Every entry, in the map's order. Like {@code bpftool map dump}, this walks keys and looks each one up, so a
     * key a program deletes meanwhile is left out rather than reported without a value.
     */
    public List<Entry<K, V>> entries() {
        requireKeys();
        List<Entry<K, V>> entries = new ArrayList<>();
        for (byte[] key : map.keys()) {
            map.lookup(key).ifPresent(value -> entries.add(new Entry<>(keys.decode(key), values.decode(value))));
        }
        return entries;
    }

    /** Calls {@code action} for every entry of {@link #entries()}. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (Entry<K, V> entry : entries()) {
            action.accept(entry.key(), entry.value());
        }
    }

    private byte[] encodeKey(K key) {
        requireKeys();
        return keys.encode(key);
    }

    private void requireKeys() {
        if (keys == null) {
            throw new UnsupportedOperationException(map.type() + " map '" + map.name() + "' has no keys");
        }
    }

    @Override
    public String toString() {
        return "TypedMap[" + map.name() + ": " + (keys == null ? "" : keys + " -> ") + values + "]";
    }
}
