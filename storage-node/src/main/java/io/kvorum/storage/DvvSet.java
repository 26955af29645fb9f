package io.kvorum.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A dotted version vector set (Almeida, Baquero, Gonçalves, Preguiça, Fonte, "Scalable and
 * Accurate Causality Tracking for Eventually Consistent Stores", DAIS 2014), following Riak's
 * {@code dvvset.erl}: a list of entries sorted by server node id, each holding the number of
 * that node's events seen ({@code counter}) and the values still current among the most recent
 * of those events, newest first. The value at position {@code i} of an entry with counter
 * {@code n} carries the dot {@code (node, n - i)}.
 *
 * <p>Server nodes own the dots: a value only enters the set through {@link #update}, executed by
 * a replica on a client write, so metadata stays bounded by the number of replicas that ever
 * coordinated a write on the key. Riak's anonymous values (values without a dot, created by
 * {@code dvvset:new/1} and never passed through {@code update}) cannot arise through this API
 * and are therefore not represented.
 *
 * <p>Immutable and canonical: entries sorted by node id, one per id, counter at least 1 and at
 * least the number of values. Two sets are {@code equals} exactly when they hold the same state.
 */
public final class DvvSet {
    private static final DvvSet EMPTY = new DvvSet(List.of());

    /** One server node's part of the set. */
    record Entry(String nodeId, long counter, List<Sibling> values) {
        Entry {
            Objects.requireNonNull(nodeId, "nodeId");
            values = List.copyOf(values);
            if (counter < 1) {
                throw new IllegalArgumentException("entry counter must be >= 1: " + nodeId + "=" + counter);
            }
            if (values.size() > counter) {
                throw new IllegalArgumentException("entry " + nodeId + " has " + values.size()
                        + " values but only " + counter + " events");
            }
        }
    }

    private final List<Entry> entries;

    private DvvSet(List<Entry> entries) {
        this.entries = entries;
    }

    public static DvvSet empty() {
        return EMPTY;
    }

    /** Builds a set from canonical entries (sorted by node id, unique); used by the codec. */
    static DvvSet of(List<Entry> entries) {
        List<Entry> copy = List.copyOf(entries);
        for (int i = 1; i < copy.size(); i++) {
            if (copy.get(i - 1).nodeId().compareTo(copy.get(i).nodeId()) >= 0) {
                throw new IllegalArgumentException("entries are not sorted by unique node id: "
                        + copy.get(i - 1).nodeId() + ", " + copy.get(i).nodeId());
            }
        }
        return copy.isEmpty() ? EMPTY : new DvvSet(copy);
    }

    List<Entry> entries() {
        return entries;
    }

    /**
     * What replica {@code nodeId} does on a client write of {@code value} that carries the causal
     * {@code context} the client read: {@code dvvset:update(dvvset:new(Context, Value), This, Id)}.
     * The values covered by the context are discarded, values concurrent with it are kept, and the
     * new value gets the next dot of {@code nodeId}.
     */
    public DvvSet update(VersionVector context, Sibling value, String nodeId) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(nodeId, "nodeId");
        List<Entry> synced = syncEntries(contextEntries(context), entries);
        return new DvvSet(event(synced, nodeId, value));
    }

    /** Merge of two replica states: commutative, associative and idempotent. */
    public DvvSet sync(DvvSet other) {
        if (other == this || other.entries.isEmpty()) {
            return this;
        }
        if (entries.isEmpty()) {
            return other;
        }
        return new DvvSet(syncEntries(entries, other.entries));
    }

    /** The causal context of everything this set has seen (the join of its clocks). */
    public VersionVector context() {
        TreeMap<String, Long> counters = new TreeMap<>();
        for (Entry e : entries) {
            counters.put(e.nodeId(), e.counter());
        }
        return new VersionVector(counters);
    }

    /**
     * All current values, tombstones included: by node id, then newest first within a node.
     */
    public List<Sibling> values() {
        if (entries.size() == 1) {
            return entries.get(0).values();
        }
        List<Sibling> values = new ArrayList<>(size());
        for (Entry e : entries) {
            values.addAll(e.values());
        }
        return Collections.unmodifiableList(values);
    }

    public int size() {
        int size = 0;
        for (Entry e : entries) {
            size += e.values().size();
        }
        return size;
    }

    /** True when the set holds no value (it may still carry causal history). */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** True if this set has seen every event {@code other} has seen. */
    public boolean descends(DvvSet other) {
        return context().descends(other.context());
    }

    // ---- dvvset.erl, transcribed ----

    private static List<Entry> contextEntries(VersionVector context) {
        List<Entry> result = new ArrayList<>(context.counters().size());
        context.counters().forEach((node, counter) -> result.add(new Entry(node, counter, List.of())));
        return result;
    }

    /** {@code sync2}: a merge of two lists sorted by node id. */
    private static List<Entry> syncEntries(List<Entry> a, List<Entry> b) {
        List<Entry> result = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            Entry x = a.get(i);
            Entry y = b.get(j);
            int cmp = x.nodeId().compareTo(y.nodeId());
            if (cmp < 0) {
                result.add(x);
                i++;
            } else if (cmp > 0) {
                result.add(y);
                j++;
            } else {
                result.add(mergeEntry(x, y));
                i++;
                j++;
            }
        }
        result.addAll(a.subList(i, a.size()));
        result.addAll(b.subList(j, b.size()));
        return List.copyOf(result);
    }

    /**
     * {@code merge/5}: the entry with the higher counter wins, but keeps only the values the other
     * side has not already discarded (dots above the other side's oldest current dot).
     */
    private static Entry mergeEntry(Entry x, Entry y) {
        if (x.counter() < y.counter()) {
            Entry t = x;
            x = y;
            y = t;
        }
        long xFloor = x.counter() - x.values().size();
        long yFloor = y.counter() - y.values().size();
        if (xFloor >= yFloor) {
            return x;
        }
        int keep = (int) (x.counter() - yFloor);
        return new Entry(x.nodeId(), x.counter(), x.values().subList(0, keep));
    }

    /** {@code event/3}: the next dot of {@code nodeId} carries {@code value}. */
    private static List<Entry> event(List<Entry> entries, String nodeId, Sibling value) {
        List<Entry> result = new ArrayList<>(entries.size() + 1);
        boolean done = false;
        for (Entry e : entries) {
            if (!done) {
                int cmp = e.nodeId().compareTo(nodeId);
                if (cmp == 0) {
                    List<Sibling> values = new ArrayList<>(e.values().size() + 1);
                    values.add(value);
                    values.addAll(e.values());
                    result.add(new Entry(nodeId, Math.addExact(e.counter(), 1), values));
                    done = true;
                    continue;
                }
                if (cmp > 0) {
                    result.add(new Entry(nodeId, 1, List.of(value)));
                    done = true;
                }
            }
            result.add(e);
        }
        if (!done) {
            result.add(new Entry(nodeId, 1, List.of(value)));
        }
        return List.copyOf(result);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DvvSet other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DvvSet[");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(e.nodeId()).append(':').append(e.counter()).append('=').append(e.values());
        }
        return sb.append(']').toString();
    }
}
