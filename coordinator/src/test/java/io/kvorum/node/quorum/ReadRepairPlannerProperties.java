package io.kvorum.node.quorum;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.CausalRecord;
import io.kvorum.storage.DvvSet;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.VersionVector;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read repair over replica states produced by a random history of client writes (each with the
 * context some replica last returned) and anti-entropy syncs between replicas. The planner's
 * merge descends every reply, does not depend on reply order, and repairing exactly the stale
 * replicas leaves every replica equal to the merge.
 */
class ReadRepairPlannerProperties {
    private static final int REPLICAS = 3;

    /** kind 0: replica `at` coordinates a write with the context read from `from` (or none); 1: `at` syncs from `from`. */
    record Op(int kind, int at, int from, boolean withContext, boolean tombstone) {
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        return Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, REPLICAS - 1),
                        Arbitraries.integers().between(0, REPLICAS - 1), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 9).map(i -> i == 0))
                .as(Op::new).list().ofMaxSize(14);
    }

    /** Replays the history; a replica that never saw a value answers not found. */
    private static Map<String, Optional<KeyRecord>> causalReplies(List<Op> history) {
        DvvSet[] state = new DvvSet[REPLICAS];
        java.util.Arrays.fill(state, DvvSet.empty());
        long clock = 0;
        for (Op op : history) {
            if (op.kind() == 0) {
                clock++;
                String node = "n" + op.at();
                HlcTimestamp stamp = new HlcTimestamp(clock, 0, node);
                Sibling value = op.tombstone() ? Sibling.tombstone(stamp)
                        : Sibling.of(("v" + clock).getBytes(StandardCharsets.UTF_8), "text/plain", stamp);
                VersionVector context = op.withContext() ? state[op.from()].context() : VersionVector.empty();
                state[op.at()] = state[op.at()].update(context, value, node);
            } else {
                state[op.at()] = state[op.at()].sync(state[op.from()]);
            }
        }
        Map<String, Optional<KeyRecord>> replies = new TreeMap<>();
        for (int i = 0; i < REPLICAS; i++) {
            replies.put("n" + i, state[i].isEmpty() ? Optional.empty() : Optional.of(new CausalRecord(state[i])));
        }
        return replies;
    }

    @Provide
    Arbitrary<Map<String, Optional<KeyRecord>>> lwwReplies() {
        Arbitrary<Optional<KeyRecord>> reply = Combinators.combine(Arbitraries.longs().between(0, 5),
                        Arbitraries.of("n0", "n1", "n2"))
                .as((wall, node) -> {
                    HlcTimestamp stamp = new HlcTimestamp(wall, 0, node);
                    // one value per stamp, as correct clocks give; some of them deletes
                    Sibling s = wall % 3 == 0 ? Sibling.tombstone(stamp)
                            : Sibling.of((node + wall).getBytes(StandardCharsets.UTF_8), "text/plain", stamp);
                    return Optional.<KeyRecord>of(LwwRecord.of(s));
                });
        return Arbitraries.maps(Arbitraries.of("n0", "n1", "n2", "n3", "n4"),
                Arbitraries.oneOf(reply, Arbitraries.just(Optional.<KeyRecord>empty()))).ofMaxSize(5)
                .map(TreeMap::new);
    }

    private static void checkLaws(Map<String, Optional<KeyRecord>> replies, Random random) {
        Optional<KeyRecord> merged = ReadRepairPlanner.merge(replies.values());
        List<String> stale = ReadRepairPlanner.staleReplicas(merged, replies);

        // nothing to merge only when no replica has the key
        assertEquals(replies.values().stream().noneMatch(Optional::isPresent), merged.isEmpty());

        // the merge descends every reply
        merged.ifPresent(m -> replies.values().forEach(r -> r.ifPresent(
                x -> assertEquals(m, m.merge(x), "merge does not descend " + x))));

        // the order of the replies does not matter
        List<Optional<KeyRecord>> shuffled = new ArrayList<>(replies.values());
        Collections.shuffle(shuffled, random);
        assertEquals(merged, ReadRepairPlanner.merge(shuffled));

        // stale: sorted, and exactly the replies that lack the key or differ from the merge
        List<String> sorted = new ArrayList<>(stale);
        Collections.sort(sorted);
        assertEquals(sorted, stale);
        replies.forEach((id, r) -> assertEquals(merged.isPresent() && !r.equals(merged), stale.contains(id), id));

        // a reply that already holds everything is never stale
        replies.forEach((id, r) -> r.ifPresent(x -> {
            if (replies.values().stream().allMatch(o -> o.isEmpty() || x.descends(o.get()))) {
                assertTrue(!stale.contains(id), id + " holds everything but is marked stale");
            }
        }));

        // repairing the stale replicas (each merges the merged record) converges them all
        Map<String, Optional<KeyRecord>> repaired = new TreeMap<>(replies);
        for (String id : stale) {
            repaired.put(id, Optional.of(repaired.get(id).map(r -> r.merge(merged.get())).orElse(merged.get())));
        }
        assertEquals(merged, ReadRepairPlanner.merge(repaired.values()));
        assertEquals(List.of(), ReadRepairPlanner.staleReplicas(merged, repaired));
    }

    @Property(tries = 3000)
    void causalReadRepairConverges(@ForAll("histories") List<Op> history, @ForAll Random random) {
        checkLaws(causalReplies(history), random);
    }

    @Property(tries = 2000)
    void lwwReadRepairConverges(@ForAll("lwwReplies") Map<String, Optional<KeyRecord>> replies,
                                @ForAll Random random) {
        checkLaws(replies, random);
        ReadRepairPlanner.merge(replies.values()).ifPresent(m -> {
            HlcTimestamp newest = replies.values().stream().flatMap(Optional::stream)
                    .map(KeyRecord::newestStamp).max(HlcTimestamp::compareTo).orElseThrow();
            assertEquals(newest, m.newestStamp());
        });
    }
}
