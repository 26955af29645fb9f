package io.kvorum.node.quorum;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.CausalRecord;
import io.kvorum.storage.DvvSet;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.VersionVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadRepairPlannerTest {
    private static final Optional<KeyRecord> NOT_FOUND = Optional.empty();

    private static Sibling v(String text, long wall, String node) {
        return new Sibling(text.getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(wall, 0, node), false);
    }

    /** A first write of {@code text} coordinated by {@code node}. */
    private static DvvSet first(String text, long wall, String node) {
        return DvvSet.empty().update(VersionVector.empty(), v(text, wall, node), node);
    }

    private static Optional<KeyRecord> causal(DvvSet s) {
        return Optional.of(new CausalRecord(s));
    }

    private static Map<String, Optional<KeyRecord>> replies(Object... idsAndReplies) {
        Map<String, Optional<KeyRecord>> m = new LinkedHashMap<>();
        for (int i = 0; i < idsAndReplies.length; i += 2) {
            @SuppressWarnings("unchecked")
            Optional<KeyRecord> r = (Optional<KeyRecord>) idsAndReplies[i + 1];
            m.put((String) idsAndReplies[i], r);
        }
        return m;
    }

    private static List<String> stale(Map<String, Optional<KeyRecord>> replies) {
        return ReadRepairPlanner.staleReplicas(ReadRepairPlanner.merge(replies.values()), replies);
    }

    @Test
    void noRepliesMergeToNothing() {
        assertEquals(Optional.empty(), ReadRepairPlanner.merge(List.of()));
        assertEquals(List.of(), stale(replies()));
    }

    @Test
    void aKeyFoundNowhereNeedsNoRepair() {
        Map<String, Optional<KeyRecord>> r = replies("n1", NOT_FOUND, "n2", NOT_FOUND, "n3", NOT_FOUND);
        assertEquals(Optional.empty(), ReadRepairPlanner.merge(r.values()));
        assertEquals(List.of(), stale(r));
    }

    @Test
    void replicasThatAgreeNeedNoRepair() {
        DvvSet s = first("a", 1, "n1");
        // equal content in distinct objects: equality is by value, not identity
        Map<String, Optional<KeyRecord>> r = replies("n1", causal(s), "n2", causal(first("a", 1, "n1")),
                "n3", causal(first("a", 1, "n1")));
        assertEquals(causal(s), ReadRepairPlanner.merge(r.values()));
        assertEquals(List.of(), stale(r));
    }

    @Test
    void replicasWithoutTheKeyGetIt() {
        DvvSet s = first("a", 1, "n1");
        Map<String, Optional<KeyRecord>> r = replies("n3", NOT_FOUND, "n1", causal(s), "n2", NOT_FOUND);
        assertEquals(causal(s), ReadRepairPlanner.merge(r.values()));
        assertEquals(List.of("n2", "n3"), stale(r));
    }

    @Test
    void aReplicaWithAnOverwrittenValueIsStale() {
        DvvSet old = first("a", 1, "n1");
        DvvSet current = old.update(old.context(), v("b", 2, "n1"), "n1");
        Map<String, Optional<KeyRecord>> r = replies("n1", causal(current), "n2", causal(old), "n3", causal(current));
        assertEquals(causal(current), ReadRepairPlanner.merge(r.values()));
        assertEquals(List.of("n2"), stale(r));
    }

    @Test
    void concurrentWritesMergeIntoSiblingsAndBothSidesAreStale() {
        DvvSet a = first("a", 1, "n1");
        DvvSet b = first("b", 1, "n2");
        Map<String, Optional<KeyRecord>> r = replies("n1", causal(a), "n2", causal(b));
        KeyRecord merged = ReadRepairPlanner.merge(r.values()).orElseThrow();
        assertEquals(2, merged.siblings().size());
        assertEquals(List.of("n1", "n2"), stale(r));
    }

    @Test
    void aTombstoneIsRepairedLikeAnyValue() {
        DvvSet live = first("a", 1, "n1");
        DvvSet deleted = live.update(live.context(), Sibling.tombstone(new HlcTimestamp(2, 0, "n2")), "n2");
        Map<String, Optional<KeyRecord>> r = replies("n1", causal(live), "n2", causal(deleted), "n3", NOT_FOUND);
        assertEquals(causal(deleted), ReadRepairPlanner.merge(r.values()));
        assertEquals(List.of("n1", "n3"), stale(r));
    }

    @Test
    void lwwTakesTheHighestStampAndRepairsTheRest() {
        Optional<KeyRecord> older = Optional.of(LwwRecord.of(v("a", 1, "n1")));
        Optional<KeyRecord> newer = Optional.of(LwwRecord.of(v("b", 2, "n2")));
        Map<String, Optional<KeyRecord>> r = replies("n1", older, "n2", newer, "n3", older);
        assertEquals(newer, ReadRepairPlanner.merge(r.values()));
        assertEquals(List.of("n1", "n3"), stale(r));
    }

    @Test
    void staleReplicasComeSortedByNodeId() {
        DvvSet s = first("a", 1, "n1");
        Map<String, Optional<KeyRecord>> r = new LinkedHashMap<>();
        for (String id : List.of("n9", "n1", "n5", "n10", "n0")) {
            r.put(id, NOT_FOUND);
        }
        r.put("n7", causal(s));
        assertEquals(List.of("n0", "n1", "n10", "n5", "n9"), stale(r));
    }

    @Test
    void mergeDoesNotDependOnTheOrderOfReplies() {
        Optional<KeyRecord> a = causal(first("a", 1, "n1"));
        Optional<KeyRecord> b = causal(first("b", 2, "n2"));
        Optional<KeyRecord> c = causal(first("c", 3, "n3"));
        Optional<KeyRecord> abc = ReadRepairPlanner.merge(List.of(a, NOT_FOUND, b, c));
        assertEquals(abc, ReadRepairPlanner.merge(List.of(c, b, NOT_FOUND, a)));
        assertEquals(abc, ReadRepairPlanner.merge(List.of(NOT_FOUND, b, a, c)));
        assertEquals(3, abc.orElseThrow().siblings().size());
    }

    @Test
    void onlyTheRepliesGivenAreConsidered() {
        DvvSet s = first("a", 1, "n1");
        Map<String, Optional<KeyRecord>> r = new TreeMap<>(Map.of("n1", causal(s)));
        assertEquals(List.of(), stale(r));
    }
}
