package io.kvorum.storage;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A hash map from non-negative {@code long} keys (page numbers) to values, by open addressing with
 * linear probing: no boxed key and no entry object per mapping. {@link JournaledVolume} looks its
 * pages up several times per MapDB call, millions of times a second; with {@code HashMap<Long, ...>}
 * each lookup boxed its key and compared it through a pointer to another boxed key, and those
 * comparisons ({@code Long.equals}, cache misses) were about 2% of a node's CPU under load.
 * Not thread-safe; iteration order is unspecified.
 */
final class LongMap<V> {
    private static final long FREE = -1;

    /** Receives a mapping. */
    @FunctionalInterface
    interface EntryConsumer<V> {
        void accept(long key, V value);
    }

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;
    private int shift; // 64 - log2(capacity): the hash's top bits index the table

    LongMap() {
        allocate(16);
    }

    /** A copy of {@code other}. */
    LongMap(LongMap<V> other) {
        keys = other.keys.clone();
        values = other.values.clone();
        size = other.size;
        mask = other.mask;
        shift = other.shift;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, FREE);
        values = new Object[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        if (key < 0) {
            return null;
        }
        for (int i = home(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == FREE) {
                return null;
            }
        }
    }

    /** Maps {@code key} (at least 0) to {@code value} (not null); returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (key < 0 || value == null) {
            throw new IllegalArgumentException("keys are at least 0 and values not null: " + key + " -> " + value);
        }
        int i = home(key);
        for (; keys[i] != FREE; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != FREE) {
                int i = home(oldKeys[j]);
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    /** Removes {@code key} if it maps to this very {@code value} (the same object); says whether it did. */
    boolean remove(long key, V value) {
        if (key < 0) {
            return false;
        }
        for (int i = home(key); keys[i] != FREE; i = (i + 1) & mask) {
            if (keys[i] == key) {
                if (values[i] != value) {
                    return false;
                }
                removeAt(i);
                return true;
            }
        }
        return false;
    }

    /** Removes every mapping whose key matches. */
    void removeIf(LongPredicate test) {
        long[] gone = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != FREE && test.test(k)) {
                gone[n++] = k;
            }
        }
        for (int j = 0; j < n; j++) {
            for (int i = home(gone[j]); ; i = (i + 1) & mask) {
                if (keys[i] == gone[j]) {
                    removeAt(i);
                    break;
                }
            }
        }
    }

    /** Empties slot {@code i}, moving later entries of its probe run back so that every lookup still finds them. */
    private void removeAt(int i) {
        for (int j = (i + 1) & mask; keys[j] != FREE; j = (j + 1) & mask) {
            // the entry at j may move to i if i lies on its probe path: from its home up to j
            if (((j - home(keys[j])) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = FREE;
        values[i] = null;
        size--;
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(keys, FREE);
            Arrays.fill(values, null);
            size = 0;
        }
    }

    @SuppressWarnings("unchecked")
    void forEach(EntryConsumer<? super V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != FREE) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    /** The keys in ascending order. */
    long[] sortedKeys() {
        long[] sorted = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != FREE) {
                sorted[n++] = k;
            }
        }
        Arrays.sort(sorted);
        return sorted;
    }
}
