package io.kvorum.node.bucket;

import io.kvorum.ring.HlcTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketTableTest {

    private static VersionedProps at(long wall, int logical, String node, int n) {
        return new VersionedProps(BucketProps.defaults().withN(n), new HlcTimestamp(wall, logical, node));
    }

    /** a and b as (wall, logical, node); the later one wins whichever way round they meet. */
    @ParameterizedTest(name = "{0}.{1}@{2} vs {3}.{4}@{5} -> {6}")
    @CsvSource({
            "10, 0, n1, 20, 0, n1, b",   // later wall clock
            "20, 0, n1, 10, 5, n9, a",   // wall clock beats logical counter
            "10, 1, n1, 10, 2, n1, b",   // same millisecond: later logical counter
            "10, 2, n2, 10, 2, n1, a",   // same wall and logical: node id breaks the tie
            "10, 2, n1, 10, 2, n2, b",
    })
    void laterChangeWinsWhicheverSideItComesFrom(long aw, int al, String an, long bw, int bl, String bn, String winner) {
        VersionedProps a = at(aw, al, an, 1);
        VersionedProps b = at(bw, bl, bn, 2);
        VersionedProps expected = winner.equals("a") ? a : b;
        assertEquals(expected, a.newer(b));
        assertEquals(expected, b.newer(a));
        assertEquals(Optional.of(expected), BucketTable.empty().with("x", a).with("x", b).get("x"));
        assertEquals(Optional.of(expected), BucketTable.empty().with("x", b).with("x", a).get("x"));
    }

    @Test
    void anythingIsNewerThanNothing() {
        VersionedProps a = at(1, 0, "n1", 1);
        assertSame(a, a.newer(null));
    }

    @Test
    void anOlderChangeLeavesTheTableAsItIs() {
        BucketTable t = BucketTable.empty().with("x", at(20, 0, "n1", 2));
        assertSame(t, t.with("x", at(10, 0, "n1", 5)));
    }

    @Test
    void reapplyingTheSameChangeLeavesTheTableEqual() {
        BucketTable t = BucketTable.empty().with("x", at(20, 0, "n1", 2));
        assertEquals(t, t.with("x", at(20, 0, "n1", 2)));
    }

    @Test
    void bucketsAreIndependent() {
        BucketTable t = BucketTable.empty().with("x", at(20, 0, "n1", 2)).with("y", at(10, 0, "n1", 5));
        assertEquals(Optional.of(at(20, 0, "n1", 2)), t.get("x"));
        assertEquals(Optional.of(at(10, 0, "n1", 5)), t.get("y"));
        assertEquals(Optional.empty(), t.get("z"));
    }

    @Test
    void theTableDoesNotShareTheMapItWasBuiltFrom() {
        Map<String, VersionedProps> source = new HashMap<>();
        source.put("x", at(1, 0, "n1", 1));
        BucketTable t = new BucketTable(source);
        source.put("y", at(2, 0, "n1", 2));
        assertEquals(Optional.empty(), t.get("y"));
        assertThrows(UnsupportedOperationException.class, () -> t.buckets().put("z", at(3, 0, "n1", 3)));
    }

    @Test
    void withDoesNotChangeTheOriginalTable() {
        BucketTable t = BucketTable.empty().with("x", at(1, 0, "n1", 1));
        t.with("x", at(2, 0, "n1", 2));
        t.with("y", at(2, 0, "n1", 2));
        assertEquals(Map.of("x", at(1, 0, "n1", 1)), t.buckets());
    }

    @Test
    void mergingWithAnEmptyTableChangesNothing() {
        BucketTable t = BucketTable.empty().with("x", at(1, 0, "n1", 1)).with("y", at(5, 0, "n2", 3));
        assertEquals(t, t.merge(BucketTable.empty()));
        assertEquals(t, BucketTable.empty().merge(t));
    }

    /**
     * Two different changes carrying the same stamp cannot come from one correct hybrid clock, but a
     * node that restarts with its wall clock set back can issue a stamp again. The merge must still
     * be commutative, or nodes that receive the two changes in different orders never converge
     * (storage's LwwRecord.max breaks this tie deterministically for the same reason).
     */
    @Test
    void mergeIsCommutativeEvenWhenTwoChangesCarryTheSameStamp() {
        BucketTable a = BucketTable.empty().with("x", at(10, 0, "n1", 2));
        BucketTable b = BucketTable.empty().with("x", at(10, 0, "n1", 5));
        assertEquals(a.merge(b), b.merge(a));
    }

    @Test
    void mergeTakesTheLaterChangePerBucket() {
        BucketTable a = BucketTable.empty().with("x", at(10, 0, "n1", 1)).with("y", at(30, 0, "n1", 3));
        BucketTable b = BucketTable.empty().with("x", at(20, 0, "n2", 2)).with("z", at(5, 0, "n2", 4));
        BucketTable expected = new BucketTable(Map.of(
                "x", at(20, 0, "n2", 2), "y", at(30, 0, "n1", 3), "z", at(5, 0, "n2", 4)));
        assertEquals(expected, a.merge(b));
        assertEquals(expected, b.merge(a));
        assertTrue(expected.buckets().size() == 3);
    }
}
