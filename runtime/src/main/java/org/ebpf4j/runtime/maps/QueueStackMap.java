package org.ebpf4j.runtime.maps;

import java.util.ArrayDeque;
import java.util.Optional;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * BPF_MAP_TYPE_QUEUE (first in, first out) and BPF_MAP_TYPE_STACK (last in, first out): values without keys, copied
 * in by push and out by pop and peek, so no program ever holds a pointer into them. A push onto a full map fails
 * with E2BIG unless BPF_EXIST asks to drop the oldest value; pop and peek of an empty map give ENOENT.
 *
 * <p>Concurrency: one lock around a deque, as the kernel takes one spin lock around its ring.
 */
final class QueueStackMap extends JvmMap {
    private final ArrayDeque<byte[]> values = new ArrayDeque<>();
    private final boolean stack;

    QueueStackMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        this.stack = spec.type() == MapType.STACK;
    }

    private synchronized long offer(byte[] value, long flags) {
        if (flags != MapUpdateFlags.BPF_ANY && flags != MapUpdateFlags.BPF_EXIST) {
            return Errno.EINVAL.negated();
        }
        if (values.size() == maxEntries()) {
            if (flags != MapUpdateFlags.BPF_EXIST) {
                return Errno.E2BIG.negated();
            }
            values.pollFirst(); // the oldest value, for queues and stacks alike
        }
        values.addLast(value);
        return 0;
    }

    /** The next value (oldest for queues, newest for stacks), removed when {@code remove}; null when empty. */
    private synchronized byte[] next(boolean remove) {
        if (stack) {
            return remove ? values.pollLast() : values.peekLast();
        }
        return remove ? values.pollFirst() : values.peekFirst();
    }

    @Override
    long lookup(HelperContext context, long key) {
        return 0; // the kernel's lookup of a queue or stack gives NULL: programs use peek
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        return Errno.EINVAL.negated();
    }

    @Override
    long delete(HelperContext context, long key) {
        return Errno.EINVAL.negated();
    }

    @Override
    long push(HelperContext context, long value, long flags) {
        return offer(readBytes(context, value, valueSize()), flags);
    }

    @Override
    long pop(HelperContext context, long value) {
        return copyOut(context, value, true);
    }

    @Override
    long peek(HelperContext context, long value) {
        return copyOut(context, value, false);
    }

    private long copyOut(HelperContext context, long address, boolean remove) {
        byte[] value = next(remove);
        if (value == null) {
            return Errno.ENOENT.negated();
        }
        context.memory().write(address, value, 0, value.length);
        return 0;
    }

    /** BPF_MAP_LOOKUP_ELEM on a queue or stack is a peek (the key is empty). */
    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey("lookup", key);
        return peek();
    }

    /** BPF_MAP_UPDATE_ELEM on a queue or stack is a push (the key is empty). */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        push(value, flags);
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        throw new MapException(name(), "delete", Errno.EINVAL);
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        throw new MapException(name(), "next key", Errno.EINVAL);
    }

    @Override
    public void push(byte[] value, long flags) {
        checkWrite("push");
        checkValue("push", value);
        throwIfError("push", offer(value.clone(), flags));
    }

    /** BPF_MAP_LOOKUP_AND_DELETE_ELEM: a user-space write, refused on frozen maps. */
    @Override
    public Optional<byte[]> pop() {
        checkWrite("pop");
        return Optional.ofNullable(next(true)).map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> peek() {
        checkRead("peek");
        return Optional.ofNullable(next(false)).map(byte[]::clone);
    }

    @Override
    void release() {
        synchronized (this) {
            values.clear();
        }
    }
}
