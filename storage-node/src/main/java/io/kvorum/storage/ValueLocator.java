package io.kvorum.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.mapdb.BTreeMap;
import org.mapdb.BTreeMapJava;
import org.mapdb.Serializer;
import org.mapdb.Store;
import org.mapdb.StoreBinary;

/**
 * Reads and writes the values of a MapDB B-tree whose values live outside its nodes, remembering
 * for recently used keys where each value's record is (its recid), as Cassandra's key cache
 * remembers where a partition starts: a key found here costs no walk down the tree.
 *
 * <p>Without it every read walks the tree from the root (decoding each node's keys on the way),
 * and so does every write, whose {@code put} walks again to find the record it overwrites. With
 * values outside nodes, the record of an existing key keeps its recid for as long as the key
 * exists: MapDB's own {@code put} of an existing key rewrites that record in place
 * ({@code store.update(recid)}), and node splits move recids, not records. So a remembered recid
 * stays right until its key is removed; this class never removes keys, and {@link #forget}
 * and {@link #clear} are there for whoever does. A new key is inserted through the map, and its
 * recid is looked up, and remembered, the next time it is used.
 *
 * <p>It remembers keys up to a budget of heap bytes, counting {@link #ENTRY_OVERHEAD_BYTES} plus
 * the key's length for each; past the budget it forgets the keys it has remembered longest. Not
 * thread-safe: its owner calls it under the store's lock, as every other access to the map; the
 * counters may be read from any thread.
 */
final class ValueLocator {
    /** MapDB keeps the value a walk found in a package-private field; read here with a var handle. */
    private static final VarHandle FOUND_VALUE;

    static {
        try {
            FOUND_VALUE = MethodHandles.privateLookupIn(BTreeMapJava.BinaryGet.class, MethodHandles.lookup())
                    .findVarHandle(BTreeMapJava.BinaryGet.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Heap bytes one remembered key costs besides its own bytes, with compressed references: the
     * map entry (40), the key's wrapper (24), its array's header and padding (16-23), the boxed
     * recid (16) and the table's slot (5-11). 200,000 keys of 20-60 bytes measured 117-119 each.
     */
    static final int ENTRY_OVERHEAD_BYTES = 120;

    private final BTreeMap<byte[], byte[]> map;
    private final StoreBinary store; // null: every call goes through the map
    private final long budgetBytes;
    private final LinkedHashMap<Key, Long> recids = new LinkedHashMap<>();
    private long bytes;
    /**
     * The last key a walk found absent, until something is inserted: a read of a new key followed
     * by its write (a read-modify-write) walks once, not twice, before the insert's own walk. Only
     * writes trust it, and a write that trusts it wrongly still goes through the map's put.
     */
    private byte[] walkedAbsent;
    private volatile long hits; // written under the owner's lock only
    private volatile long misses;

    /**
     * @param map a map with {@link Serializer#BYTE_ARRAY} keys and values, and values outside nodes
     * @param budgetBytes heap bytes for remembered recids (0: none, every call goes through the map)
     */
    ValueLocator(BTreeMap<byte[], byte[]> map, long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes must be >= 0: " + budgetBytes);
        }
        if (map.getValueInline() || map.getKeySerializer() != Serializer.BYTE_ARRAY
                || map.getValueSerializer() != Serializer.BYTE_ARRAY) {
            throw new IllegalArgumentException("needs byte[] keys and values stored outside the nodes");
        }
        Store s = map.getStore();
        this.map = map;
        this.store = budgetBytes > 0 && s instanceof StoreBinary binary ? binary : null;
        this.budgetBytes = budgetBytes;
    }

    /** The key's value, or null. */
    byte[] get(byte[] key) {
        if (store == null) {
            return map.get(key);
        }
        long recid = locate(key);
        return recid == 0 ? null : store.get(recid, Serializer.BYTE_ARRAY);
    }

    /** Stores the key's value, as {@link BTreeMap#put}; returns the previous value, or null. */
    byte[] put(byte[] key, byte[] value) {
        return write(key, value, true);
    }

    /** Stores the key's value without reading the previous one (for a caller that has just read it). */
    void putOnly(byte[] key, byte[] value) {
        write(key, value, false);
    }

    private byte[] write(byte[] key, byte[] value, boolean returnOld) {
        if (store == null) {
            return insert(key, value);
        }
        long recid = Arrays.equals(key, walkedAbsent) ? 0 : locate(key);
        if (recid == 0) {
            return insert(key, value);
        }
        byte[] old = returnOld ? store.get(recid, Serializer.BYTE_ARRAY) : null;
        store.update(recid, value, Serializer.BYTE_ARRAY);
        return old;
    }

    /** Through the map: a new key (or one this class does not know of). */
    private byte[] insert(byte[] key, byte[] value) {
        walkedAbsent = null;
        return map.put(key, value);
    }

    /** Forgets where the key's value was: call it when the key is removed from the map. */
    void forget(byte[] key) {
        if (recids.remove(new Key(key)) != null) {
            bytes -= cost(key);
        }
    }

    /** Forgets every recid: call it when the map may have lost keys (a rollback, a bulk removal). */
    void clear() {
        recids.clear();
        bytes = 0;
        walkedAbsent = null;
    }

    /** Calls that found their key's recid remembered. */
    long hits() {
        return hits;
    }

    /** Calls that walked the tree (writes of a key a read just found absent do not walk again). */
    long misses() {
        return misses;
    }

    /** Keys whose recid is remembered. Owner's thread only. */
    int size() {
        return recids.size();
    }

    /** Heap bytes the remembered keys are counted for. Owner's thread only. */
    long bytes() {
        return bytes;
    }

    private static long cost(byte[] key) {
        return ENTRY_OVERHEAD_BYTES + (long) key.length;
    }

    /** The recid of the key's value, remembered or found by walking the tree; 0 if the key is absent. */
    private long locate(byte[] key) {
        Key k = new Key(key);
        Long known = recids.get(k);
        if (known != null) {
            hits++;
            return known;
        }
        misses++;
        long found = walk(key);
        walkedAbsent = found == 0 ? key : null;
        if (found != 0 && cost(key) <= budgetBytes) {
            recids.put(k, found);
            bytes += cost(key);
            Iterator<Key> oldest = recids.keySet().iterator();
            while (bytes > budgetBytes) {
                bytes -= cost(oldest.next().bytes);
                oldest.remove();
            }
        }
        return found;
    }

    /** The walk {@link BTreeMap#get} makes, stopping short of reading the value. */
    private long walk(byte[] key) {
        BTreeMapJava.BinaryGet<byte[], Long> get = new BTreeMapJava.BinaryGet<>(Serializer.BYTE_ARRAY,
                Serializer.RECID, Serializer.BYTE_ARRAY, key);
        Long root = store.get(map.getRootRecidRecid(), Serializer.RECID);
        if (root == null) {
            throw new IllegalStateException("the map has no root node");
        }
        long current = root;
        do {
            current = store.getBinaryLong(current, get);
        } while (current != -1L);
        Object recid = FOUND_VALUE.get(get);
        return recid == null ? 0 : (Long) recid;
    }

    /** A key by content, its hash computed once. */
    private static final class Key {
        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && hash == other.hash && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
