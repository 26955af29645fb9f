package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link InMemoryHintStore} against a naive model (a map from (target, key) to hint, scanned in
 * full for every question) over random operation sequences; the contract test holds the MapDB store
 * to the same behaviour as the in-memory one.
 */
class HintStoreModelProperties {
    private static final int MAX_HINTS = 6;

    /** put t k v at time; remove t k (delivering what pending showed, or a stale record); expire cutoff. */
    record Op(int kind, int target, int key, int value, long time) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 50),
                        Arbitraries.longs().between(0, 100))
                .as(Op::new);
        return op.list().ofMaxSize(40);
    }

    private static StorageKey key(int k) {
        return new StorageKey(k % 2, "b", ("k" + k).getBytes(StandardCharsets.UTF_8));
    }

    private static KeyRecord record(int v, int target) {
        // causal writes by several nodes: some concurrent, so merges matter
        String node = "n" + (v % 3);
        return RecordWrites.causalWrite(Optional.empty(), VersionVector.empty(),
                Sibling.of(new byte[] {(byte) v}, "x", new HlcTimestamp(v, 0, node)), node + "-" + v + "-" + target,
                1000);
    }

    @Property(tries = 300)
    void behavesLikeTheNaiveModel(@ForAll("operations") List<Op> ops) throws Exception {
        Map<String, Map<StorageKey, Hint>> model = new TreeMap<>();
        long stored = 0;
        long coalesced = 0;
        long delivered = 0;
        long expired = 0;
        long refused = 0;
        try (InMemoryHintStore store = new InMemoryHintStore(MAX_HINTS, 2)) {
            for (Op op : ops) {
                String target = "t" + op.target();
                StorageKey key = key(op.key());
                Map<StorageKey, Hint> hints = model.computeIfAbsent(target, t -> new HashMap<>());
                int total = model.values().stream().mapToInt(Map::size).sum();
                if (op.kind() < 6) {
                    KeyRecord record = record(op.value(), op.target());
                    Hint existing = hints.get(key);
                    try {
                        store.put(target, key, record, op.time()).get(10, TimeUnit.SECONDS);
                        assertTrue(existing != null || total < MAX_HINTS);
                    } catch (ExecutionException e) {
                        assertInstanceOf(HintStoreFullException.class, e.getCause());
                        assertTrue(existing == null && total >= MAX_HINTS);
                        refused++;
                        continue;
                    }
                    if (existing == null) {
                        hints.put(key, new Hint(target, key, record, op.time()));
                        stored++;
                    } else {
                        hints.put(key, new Hint(target, key, existing.record().merge(record),
                                Math.min(existing.createdAtMillis(), op.time())));
                        coalesced++;
                    }
                } else if (op.kind() < 9) {
                    Hint current = hints.get(key);
                    boolean stale = op.kind() == 8;
                    KeyRecord delivering = current == null || stale ? record(op.value(), op.target()) : current.record();
                    boolean removed = store.remove(new Hint(target, key, delivering, 0)).get(10, TimeUnit.SECONDS);
                    boolean expected = current != null && current.record().equals(delivering);
                    assertEquals(expected, removed);
                    if (removed) {
                        hints.remove(key);
                        delivered++;
                    }
                } else {
                    int dropped = store.expire(op.time()).get(10, TimeUnit.SECONDS);
                    int modelDropped = 0;
                    for (Map<StorageKey, Hint> perTarget : model.values()) {
                        int before = perTarget.size();
                        perTarget.values().removeIf(h -> h.createdAtMillis() < op.time());
                        modelDropped += before - perTarget.size();
                    }
                    assertEquals(modelDropped, dropped);
                    expired += dropped;
                }
            }
            Map<String, Long> counts = new TreeMap<>();
            for (Map.Entry<String, Map<StorageKey, Hint>> e : model.entrySet()) {
                List<Hint> expected = new ArrayList<>(e.getValue().values());
                expected.sort(Comparator.comparing(Hint::key));
                assertEquals(expected, store.pending(e.getKey(), 100).get(10, TimeUnit.SECONDS));
                if (!expected.isEmpty()) {
                    counts.put(e.getKey(), (long) expected.size());
                }
            }
            assertEquals(counts, store.pendingCounts());
            assertEquals(new HintStats(stored, coalesced, delivered, expired, refused), store.stats());
        }
    }
}
