package io.kvorum.node.bucket;

import io.kvorum.node.quorum.ConsistencyLevel;
import io.kvorum.ring.HlcTimestamp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bucket table is a last-change-wins register per bucket: its merge is commutative,
 * associative and idempotent, and agrees with a naive "latest stamp per bucket" reference.
 *
 * <p>Stamps are drawn from a small space so that equal stamps on the same bucket are frequent;
 * the properties carried by a change are a function of its bucket and stamp, as they are with a
 * correct hybrid clock (one stamp, one change). The case of one stamp carrying two different
 * changes is covered in {@link BucketTableTest}.
 */
class BucketTableProperties {

    record Change(String bucket, VersionedProps versioned) {
    }

    private static VersionedProps change(String bucket, long wall, int logical, String node) {
        int code = Math.floorMod((bucket + wall + "/" + logical + node).hashCode(), 4096) + 1;
        BucketProps props = new BucketProps(1 + code % 5, ConsistencyLevel.parse("ONE"), ConsistencyLevel.parse("ONE"),
                code % 2 == 0 ? ConflictMode.SIBLINGS : ConflictMode.LWW, code % 3 == 0,
                code % 7 == 0 ? ReadRepairMode.BLOCKING : ReadRepairMode.ASYNC, code);
        return new VersionedProps(props, new HlcTimestamp(wall, logical, node));
    }

    @Provide
    Arbitrary<Change> changes() {
        return Combinators.combine(Arbitraries.of("a", "b", "c"), Arbitraries.longs().between(0, 4),
                        Arbitraries.integers().between(0, 2), Arbitraries.of("n1", "n2", "n3"))
                .as((b, w, l, n) -> new Change(b, change(b, w, l, n)));
    }

    @Provide
    Arbitrary<List<Change>> changeLists() {
        return changes().list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<BucketTable> tables() {
        return changes().list().ofMaxSize(8).map(BucketTableProperties::apply);
    }

    private static BucketTable apply(List<Change> changes) {
        BucketTable t = BucketTable.empty();
        for (Change c : changes) {
            t = t.with(c.bucket(), c.versioned());
        }
        return t;
    }

    @Property(tries = 2000)
    void mergeIsCommutative(@ForAll("tables") BucketTable a, @ForAll("tables") BucketTable b) {
        assertEquals(a.merge(b), b.merge(a));
    }

    @Property(tries = 2000)
    void mergeIsAssociative(@ForAll("tables") BucketTable a, @ForAll("tables") BucketTable b,
                            @ForAll("tables") BucketTable c) {
        assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
    }

    @Property(tries = 1000)
    void mergeIsIdempotent(@ForAll("tables") BucketTable a, @ForAll("tables") BucketTable b) {
        assertEquals(a, a.merge(a));
        BucketTable ab = a.merge(b);
        assertEquals(ab, ab.merge(b));
        assertEquals(ab, ab.merge(a));
    }

    /** Nodes that receive the same changes in any order end with the same table. */
    @Property(tries = 2000)
    void deliveryOrderDoesNotMatter(@ForAll("changeLists") List<Change> changes, @ForAll java.util.Random random) {
        List<Change> shuffled = new java.util.ArrayList<>(changes);
        java.util.Collections.shuffle(shuffled, random);
        assertEquals(apply(changes), apply(shuffled));
    }

    @Property(tries = 2000)
    void agreesWithLatestStampPerBucket(@ForAll("changeLists") List<Change> changes) {
        Map<String, VersionedProps> reference = new HashMap<>();
        for (Change c : changes) {
            reference.merge(c.bucket(), c.versioned(),
                    (old, neu) -> neu.version().compareTo(old.version()) > 0 ? neu : old);
        }
        assertEquals(reference, apply(changes).buckets());
    }

    @Property(tries = 1000)
    void mergeNeverMovesABucketBackInTime(@ForAll("tables") BucketTable a, @ForAll("tables") BucketTable b) {
        BucketTable m = a.merge(b);
        for (BucketTable input : List.of(a, b)) {
            input.buckets().forEach((bucket, v) ->
                    assertTrue(m.get(bucket).orElseThrow().version().compareTo(v.version()) >= 0));
        }
        assertEquals(new java.util.TreeSet<>(m.buckets().keySet()),
                new java.util.TreeSet<>(java.util.stream.Stream.concat(a.buckets().keySet().stream(),
                        b.buckets().keySet().stream()).toList()));
    }
}
