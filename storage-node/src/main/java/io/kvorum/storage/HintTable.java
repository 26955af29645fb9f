package io.kvorum.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The hint operations over a sorted map of encoded hints ({@link HintCodec}), shared by
 * {@link InMemoryHintStore} (a {@code TreeMap}) and {@link MapDbHintStore} (a MapDB B-tree), so
 * both have exactly the same semantics. Used by the store's one thread only, except
 * {@link #pendingCounts()} and {@link #stats()}, which read what {@link #publish()} last published
 * and may be called from any thread.
 *
 * <p>Every call into the map goes through {@link Access}, so the MapDB store can clear interrupts,
 * turn store failures into fail-stop, and learn that the batch has something to commit. A hint
 * that does not decode fails only the operation that read it.
 */
final class HintTable {
    /** How the table reaches its map. */
    interface Access {
        /** Runs one call into the map. */
        <T> T call(Supplier<T> call);

        /** The map was changed by about {@code bytes} bytes. */
        void wrote(long bytes);

        /** Plain access, for a map in memory. */
        Access DIRECT = new Access() {
            @Override
            public <T> T call(Supplier<T> call) {
                return call.get();
            }

            @Override
            public void wrote(long bytes) {
            }
        };
    }

    /** One step of {@link #expireStep}: how many hints it dropped, and where the next step starts. */
    record ExpireStep(int dropped, byte[] resumeAfter) {
        boolean done() {
            return resumeAfter == null;
        }
    }

    private final NavigableMap<byte[], byte[]> map;
    private final long maxHints;
    private final Access access;

    // the store's thread only: the state of the map, committed or not
    private final Map<String, Long> counts = new HashMap<>();
    private long total;
    private HintStats unpublished = HintStats.ZERO;
    private boolean countsChanged;

    // published after a commit, read by any thread
    private volatile Map<String, Long> publishedCounts;
    private volatile HintStats publishedStats = HintStats.ZERO;

    /** Counts the hints already in {@code map} per target. */
    HintTable(NavigableMap<byte[], byte[]> map, long maxHints, Access access) {
        if (maxHints < 0) {
            throw new IllegalArgumentException("maxHints must be >= 0: " + maxHints);
        }
        this.map = map;
        this.maxHints = maxHints;
        this.access = access;
        access.call(() -> {
            for (byte[] key : map.keySet()) {
                counts.merge(HintCodec.target(key), 1L, Long::sum);
                total++;
            }
            return null;
        });
        this.publishedCounts = Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    long maxHints() {
        return maxHints;
    }

    long total() {
        return total;
    }

    void put(String target, StorageKey key, KeyRecord record, long nowMillis) {
        byte[] encodedKey = HintCodec.key(target, key);
        byte[] stored = access.call(() -> map.get(encodedKey));
        Hint next;
        if (stored == null) {
            if (total >= maxHints) {
                unpublished = unpublished.plus(new HintStats(0, 0, 0, 0, 1));
                throw new HintStoreFullException(maxHints, total, target);
            }
            next = new Hint(target, key, record, nowMillis);
        } else {
            Hint existing = HintCodec.decode(encodedKey, stored);
            next = existing.coalesce(record, nowMillis);
            if (next.equals(existing)) {
                unpublished = unpublished.plus(new HintStats(0, 1, 0, 0, 0));
                return; // already subsumed: nothing to write
            }
        }
        byte[] value = HintCodec.value(next.createdAtMillis(), next.record());
        access.call(() -> map.put(encodedKey, value));
        access.wrote(encodedKey.length + value.length);
        if (stored == null) {
            changeCount(target, 1);
            unpublished = unpublished.plus(new HintStats(1, 0, 0, 0, 0));
        } else {
            unpublished = unpublished.plus(new HintStats(0, 1, 0, 0, 0));
        }
    }

    /** Up to {@code limit} hints for {@code target} in key order, after {@code after} if given. */
    List<Hint> pending(String target, StorageKey after, int limit) {
        byte[] prefix = HintCodec.targetPrefix(target);
        byte[] from = after == null ? prefix : HintCodec.key(target, after);
        boolean inclusive = after == null;
        List<byte[][]> raw = access.call(() -> {
            List<byte[][]> entries = new ArrayList<>();
            for (Map.Entry<byte[], byte[]> e : map.tailMap(from, inclusive).entrySet()) {
                if (entries.size() >= limit || !HintCodec.hasPrefix(e.getKey(), prefix)) {
                    break;
                }
                entries.add(new byte[][] {e.getKey(), e.getValue()});
            }
            return entries;
        });
        List<Hint> hints = new ArrayList<>(raw.size());
        for (byte[][] entry : raw) {
            hints.add(HintCodec.decode(entry[0], entry[1]));
        }
        return Collections.unmodifiableList(hints);
    }

    boolean remove(Hint delivered) {
        byte[] encodedKey = HintCodec.key(delivered.target(), delivered.key());
        byte[] stored = access.call(() -> map.get(encodedKey));
        if (stored == null || !HintCodec.record(stored).equals(delivered.record())) {
            return false;
        }
        access.call(() -> map.remove(encodedKey));
        access.wrote(encodedKey.length + stored.length);
        changeCount(delivered.target(), -1);
        unpublished = unpublished.plus(new HintStats(0, 0, 1, 0, 0));
        return true;
    }

    /**
     * Drops the hints created before {@code cutoffMillis} among the next {@code maxVisited}
     * hints (all targets) after {@code resumeAfter} (from the start when null).
     */
    ExpireStep expireStep(long cutoffMillis, byte[] resumeAfter, int maxVisited) {
        List<byte[][]> raw = access.call(() -> {
            List<byte[][]> entries = new ArrayList<>();
            NavigableMap<byte[], byte[]> rest = resumeAfter == null ? map : map.tailMap(resumeAfter, false);
            for (Map.Entry<byte[], byte[]> e : rest.entrySet()) {
                if (entries.size() >= maxVisited) {
                    break;
                }
                entries.add(new byte[][] {e.getKey(), e.getValue()});
            }
            return entries;
        });
        int dropped = 0;
        for (byte[][] entry : raw) {
            byte[] key = entry[0];
            if (HintCodec.createdAtMillis(entry[1]) < cutoffMillis) {
                access.call(() -> map.remove(key));
                access.wrote(key.length + entry[1].length);
                changeCount(HintCodec.target(key), -1);
                dropped++;
            }
        }
        unpublished = unpublished.plus(new HintStats(0, 0, 0, dropped, 0));
        boolean more = raw.size() >= maxVisited;
        return new ExpireStep(dropped, more ? raw.get(raw.size() - 1)[0] : null);
    }

    private void changeCount(String target, long delta) {
        counts.compute(target, (t, n) -> {
            long next = (n == null ? 0 : n) + delta;
            return next == 0 ? null : next;
        });
        total += delta;
        countsChanged = true;
    }

    /** Makes the counts and stats of everything applied so far visible; call once it is durable. */
    void publish() {
        if (countsChanged) {
            publishedCounts = Collections.unmodifiableMap(new TreeMap<>(counts));
            countsChanged = false;
        }
        if (!unpublished.equals(HintStats.ZERO)) {
            publishedStats = publishedStats.plus(unpublished);
            unpublished = HintStats.ZERO;
        }
    }

    /** Pending hints per target as of the last {@link #publish()}: only targets with hints, sorted. */
    Map<String, Long> pendingCounts() {
        return publishedCounts;
    }

    HintStats stats() {
        return publishedStats;
    }

    static int requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        return limit;
    }
}
