package org.ebpf4j.runtime.maps;

/** The free element slots of a preallocated map: a stack, so a freed slot is the next one reused (as the kernel's freelist). */
final class SlotPool {
    private final int[] free;
    private int size;

    /** A pool holding slots 0..capacity-1, handed out in ascending order. */
    SlotPool(int capacity) {
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        size = capacity;
    }

    /** A free slot, or -1 when there is none. */
    synchronized int take() {
        return size == 0 ? -1 : free[--size];
    }

    synchronized void give(int slot) {
        free[size++] = slot;
    }
}
