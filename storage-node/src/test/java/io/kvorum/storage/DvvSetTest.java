package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** The DVV set on the scenarios a client of a Dynamo-style store lives through. */
class DvvSetTest {
    private static final VersionVector NONE = VersionVector.empty();

    private static Sibling v(String text) {
        return DvvWorld.value(text, "client");
    }

    @Test
    void emptySetHasNoValuesAndAnEmptyContext() {
        DvvSet empty = DvvSet.empty();
        assertTrue(empty.isEmpty());
        assertEquals(0, empty.size());
        assertEquals(List.of(), empty.values());
        assertEquals(NONE, empty.context());
    }

    @Test
    void firstWriteGetsTheFirstDotOfTheCoordinatingNode() {
        DvvSet s = DvvSet.empty().update(NONE, v("x"), "a");
        assertEquals(List.of(v("x")), s.values());
        assertEquals(VersionVector.of(Map.of("a", 1L)), s.context());
    }

    @Test
    void blindWritesAtDifferentNodesBecomeSiblings() {
        DvvSet atA = DvvSet.empty().update(NONE, v("x"), "a");
        DvvSet atB = DvvSet.empty().update(NONE, v("y"), "b");

        DvvSet merged = atA.sync(atB);

        assertEquals(Set.of(v("x"), v("y")), Set.copyOf(merged.values()));
        assertEquals(VersionVector.of(Map.of("a", 1L, "b", 1L)), merged.context());
    }

    @Test
    void blindWritesAtTheSameNodeBecomeSiblings() {
        DvvSet s = DvvSet.empty().update(NONE, v("x"), "a").update(NONE, v("y"), "a");
        assertEquals(List.of(v("y"), v("x")), s.values()); // newest first
        assertEquals(VersionVector.of(Map.of("a", 2L)), s.context());
    }

    @Test
    void writeWithAContextThatSawXRemovesXButKeepsAConcurrentY() {
        DvvSet a = DvvSet.empty().update(NONE, v("x"), "a");
        VersionVector sawX = a.context(); // the client reads X from a
        DvvSet b = DvvSet.empty().update(NONE, v("y"), "b"); // someone else writes Y at b
        a = a.sync(b);
        assertEquals(2, a.size());

        DvvSet after = a.update(sawX, v("z"), "a");

        assertEquals(Set.of(v("y"), v("z")), Set.copyOf(after.values()));
    }

    @Test
    void writeWithTheContextOfASiblingReadResolvesAllSiblings() {
        DvvSet s = DvvSet.empty().update(NONE, v("x"), "a").sync(DvvSet.empty().update(NONE, v("y"), "b"));

        DvvSet resolved = s.update(s.context(), v("xy"), "b");

        assertEquals(List.of(v("xy")), resolved.values());
        assertEquals(VersionVector.of(Map.of("a", 1L, "b", 2L)), resolved.context());
    }

    @Test
    void staleReplicaThatMergesAResolvedValueDropsTheSiblingsItResolved() {
        DvvSet x = DvvSet.empty().update(NONE, v("x"), "a");
        DvvSet y = DvvSet.empty().update(NONE, v("y"), "b");
        DvvSet both = x.sync(y);
        DvvSet resolved = both.update(both.context(), v("xy"), "c");

        assertEquals(List.of(v("xy")), x.sync(resolved).values());
        assertEquals(List.of(v("xy")), resolved.sync(both).values());
    }

    @Test
    void contextFromAnotherReplicaCanBeAheadOfTheCoordinator() {
        DvvSet atA = DvvSet.empty().update(NONE, v("1"), "a").update(NONE, v("2"), "a");
        VersionVector ahead = VersionVector.of(Map.of("a", 2L, "b", 5L));
        DvvSet atB = DvvSet.empty();

        DvvSet written = atB.update(ahead, v("3"), "b");

        assertEquals(6, written.context().get("b"));
        assertEquals(List.of(v("3")), written.sync(atA).values());
    }

    @Test
    void syncKeepsOnlyTheValuesNeitherSideHasDiscarded() {
        // entries are (node, counter, values newest first); the value at position i has dot counter - i
        DvvSet a1 = DvvSet.of(List.of(new DvvSet.Entry("a", 4, List.of(v("v5"), v("v0")))));
        DvvSet a2 = DvvSet.of(List.of(new DvvSet.Entry("a", 2, List.of(v("v1")))));
        // a2 has seen a's events up to 2 and kept only the 2nd; a1 keeps 4 and 3: nothing of a2 survives
        assertEquals(a1, a1.sync(a2));

        DvvSet x = DvvSet.of(List.of(new DvvSet.Entry("x", 1, List.of())));
        DvvSet y = DvvSet.of(List.of(new DvvSet.Entry("x", 1, List.of(v("v1"))), new DvvSet.Entry("y", 1, List.of())));
        // x saw dot x1 and discarded its value; y still holds it: the discard wins
        assertEquals(DvvSet.of(List.of(new DvvSet.Entry("x", 1, List.of()), new DvvSet.Entry("y", 1, List.of()))),
                x.sync(y));
    }

    @Test
    void equalityMeansSameState() {
        DvvSet one = DvvSet.empty().update(NONE, v("x"), "a");
        DvvSet same = DvvSet.empty().update(NONE, v("x"), "a");
        DvvSet other = DvvSet.empty().update(NONE, v("x"), "b");
        assertEquals(one, same);
        assertEquals(one.hashCode(), same.hashCode());
        assertNotEquals(one, other);
    }

    @Test
    void descendsComparesCausalHistories() {
        DvvSet x = DvvSet.empty().update(NONE, v("x"), "a");
        DvvSet later = x.update(x.context(), v("x2"), "a");
        DvvSet concurrent = DvvSet.empty().update(NONE, v("y"), "b");
        assertTrue(later.descends(x));
        assertFalse(x.descends(later));
        assertFalse(later.descends(concurrent));
        assertTrue(x.descends(DvvSet.empty()));
    }

    @Test
    void valuesAreListedByNodeThenNewestFirst() {
        DvvSet s = DvvSet.empty().update(NONE, v("b1"), "b").update(NONE, v("b2"), "b")
                .sync(DvvSet.empty().update(NONE, v("a1"), "a"));
        assertEquals(List.of(v("a1"), v("b2"), v("b1")), s.values());
    }

    @Test
    void canonicalFormIsEnforced() {
        assertThrows(IllegalArgumentException.class, () -> DvvSet.of(List.of(
                new DvvSet.Entry("b", 1, List.of()), new DvvSet.Entry("a", 1, List.of()))));
        assertThrows(IllegalArgumentException.class, () -> DvvSet.of(List.of(
                new DvvSet.Entry("a", 1, List.of()), new DvvSet.Entry("a", 2, List.of()))));
        assertThrows(IllegalArgumentException.class, () -> new DvvSet.Entry("a", 1, List.of(v("1"), v("2"))));
        assertThrows(IllegalArgumentException.class, () -> new DvvSet.Entry("a", 0, List.of()));
    }

    @Test
    void valuesAreImmutable() {
        DvvSet s = DvvSet.empty().update(NONE, v("x"), "a");
        assertThrows(UnsupportedOperationException.class, () -> s.values().clear());
        Set<Sibling> seen = new HashSet<>(s.values());
        assertEquals(Set.of(v("x")), seen);
    }
}
