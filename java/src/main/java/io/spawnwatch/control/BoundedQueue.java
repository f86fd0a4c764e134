package io.spawnwatch.control;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free queue of byte arrays for many producers and one consumer
 * (Vyukov's bounded MPMC array queue, consumed from a single thread).
 *
 * <p>{@link #offer} never blocks and never allocates: when the queue is full it
 * returns false at once, so the sensor thread that publishes is never held up
 * by a subscriber. Each slot carries a sequence number: a producer claims a
 * position with a CAS on {@code tail}, writes the item, then release-stores
 * {@code seq = pos + 1}; the consumer acquire-loads the sequence (pairs with that
 * release store) before it reads the item, then release-stores
 * {@code seq = pos + capacity} to hand the slot back to producers.
 */
final class BoundedQueue {
    private final int capacity;
    private final int mask;
    private final AtomicReferenceArray<byte[]> items;
    private final AtomicLongArray sequences;
    private final AtomicLong tail = new AtomicLong();
    /** Written by the consumer only; volatile so that size() can be read from any thread. */
    private volatile long head;

    BoundedQueue(int requestedCapacity) {
        if (requestedCapacity < 2 || requestedCapacity > (1 << 24)) {
            throw new IllegalArgumentException("queue capacity=" + requestedCapacity + " must be 2 to " + (1 << 24));
        }
        this.capacity = Integer.highestOneBit(requestedCapacity - 1) << 1;
        this.mask = capacity - 1;
        this.items = new AtomicReferenceArray<>(capacity);
        this.sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.setPlain(i, i);
        }
    }

    int capacity() {
        return capacity;
    }

    /** Adds {@code item}, or returns false at once when the queue is full. */
    boolean offer(byte[] item) {
        long pos = tail.get();
        while (true) {
            int index = (int) (pos & mask);
            long seq = sequences.getAcquire(index); // pairs with the consumer's setRelease in poll()
            long diff = seq - pos;
            if (diff == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    items.setPlain(index, item);
                    sequences.setRelease(index, pos + 1); // publishes the item to poll()
                    return true;
                }
                pos = tail.get();
            } else if (diff < 0) {
                return false; // the slot still holds an item a lap behind: full
            } else {
                pos = tail.get(); // another producer took this position
            }
        }
    }

    /** The next item, or null when empty. Consumer thread only. */
    byte[] poll() {
        long pos = head;
        int index = (int) (pos & mask);
        long seq = sequences.getAcquire(index); // pairs with the producer's setRelease in offer()
        if (seq != pos + 1) {
            return null;
        }
        byte[] item = items.getPlain(index);
        items.setPlain(index, null);
        sequences.setRelease(index, pos + capacity); // hands the slot back to producers
        head = pos + 1;
        return item;
    }

    /** Items waiting; approximate while producers are active. */
    int size() {
        long size = tail.get() - head;
        return (int) Math.max(0, Math.min(size, capacity));
    }
}
