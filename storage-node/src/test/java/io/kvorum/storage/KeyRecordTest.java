package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyRecordTest {
    private static final VersionVector NONE = VersionVector.empty();

    private static HlcTimestamp at(long millis, String node) {
        return new HlcTimestamp(millis, 0, node);
    }

    private static Sibling value(String text, long millis, String node) {
        return Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain", at(millis, node));
    }

    private static CausalRecord causal(Sibling value, String node) {
        return new CausalRecord(DvvSet.empty().update(NONE, value, node));
    }

    @Test
    void causalRecordsMergeBySync() {
        CausalRecord a = causal(value("x", 10, "a"), "a");
        CausalRecord b = causal(value("y", 20, "b"), "b");
        KeyRecord merged = a.merge(b);
        assertEquals(new CausalRecord(a.dvv().sync(b.dvv())), merged);
        assertEquals(2, merged.siblings().size());
        assertEquals(merged, b.merge(a));
    }

    @Test
    void lwwRecordsKeepTheHighestStampAndJoinClocks() {
        LwwRecord older = new LwwRecord(value("old", 10, "a"), VersionVector.of(Map.of("a", 1L)));
        LwwRecord newer = new LwwRecord(value("new", 10, "b"), VersionVector.of(Map.of("b", 1L)));
        KeyRecord merged = older.merge(newer);
        assertEquals(new LwwRecord(value("new", 10, "b"), VersionVector.of(Map.of("a", 1L, "b", 1L))), merged);
        assertEquals(merged, newer.merge(older));
    }

    @Test
    void lwwMergeIsCommutativeEvenForEqualStampsOnDifferentValues() {
        LwwRecord one = LwwRecord.of(value("one", 10, "a"));
        LwwRecord two = LwwRecord.of(value("two", 10, "a"));
        assertEquals(one.merge(two), two.merge(one));
    }

    @Test
    void mixedKindsKeepTheRecordWithTheNewestSibling() {
        CausalRecord causal = causal(value("c", 20, "a"), "a");
        LwwRecord older = LwwRecord.of(value("l", 10, "b"));
        LwwRecord newer = LwwRecord.of(value("l", 30, "b"));
        assertSame(causal, causal.merge(older));
        assertSame(causal, older.merge(causal));
        assertSame(newer, causal.merge(newer));
        assertSame(newer, newer.merge(causal));
    }

    @Test
    void mixedKindsWithEqualNewestStampsKeepTheCausalRecord() {
        Sibling same = value("s", 10, "a");
        CausalRecord causal = causal(same, "a");
        LwwRecord lww = LwwRecord.of(same);
        assertSame(causal, causal.merge(lww));
        assertSame(causal, lww.merge(causal));
    }

    @Test
    void deletedMeansEverySiblingIsATombstone() {
        CausalRecord deleted = new CausalRecord(DvvSet.empty().update(NONE, Sibling.tombstone(at(5, "a")), "a"));
        assertTrue(deleted.isDeleted());
        assertEquals(List.of(), deleted.liveSiblings());

        CausalRecord deleteConcurrentWithWrite = new CausalRecord(
                deleted.dvv().sync(DvvSet.empty().update(NONE, value("x", 6, "b"), "b")));
        assertFalse(deleteConcurrentWithWrite.isDeleted());
        assertEquals(List.of(value("x", 6, "b")), deleteConcurrentWithWrite.liveSiblings());
        assertEquals(2, deleteConcurrentWithWrite.siblings().size());
    }

    @Test
    void contextAndNewestStamp() {
        CausalRecord record = new CausalRecord(DvvSet.empty().update(NONE, value("x", 50, "a"), "a")
                .sync(DvvSet.empty().update(NONE, value("y", 70, "b"), "b")));
        assertEquals(VersionVector.of(Map.of("a", 1L, "b", 1L)), record.context());
        assertEquals(at(70, "b"), record.newestStamp());
        assertEquals(70, record.siblings().stream().mapToLong(Sibling::lastModifiedMillis).max().orElseThrow());

        LwwRecord lww = new LwwRecord(value("z", 80, "c"), VersionVector.of(Map.of("c", 4L)));
        assertEquals(VersionVector.of(Map.of("c", 4L)), lww.context());
        assertEquals(at(80, "c"), lww.newestStamp());
    }

    @Test
    void etagIsShortHexAndFollowsTheContent() {
        CausalRecord x = causal(value("x", 1, "a"), "a");
        assertTrue(x.etag().matches("[0-9a-f]{16}"), x.etag());
        assertEquals(x.etag(), causal(value("x", 1, "a"), "a").etag());
        assertNotEquals(x.etag(), causal(value("y", 1, "a"), "a").etag());
        assertNotEquals(x.etag(), LwwRecord.of(value("x", 1, "a")).etag());
        for (int i = 0; i < 200; i++) { // zero-padded like %016x, whatever the hash's leading digits
            CausalRecord r = causal(value("v" + i, i + 1, "a"), "a");
            long hash = com.google.common.hash.Hashing.murmur3_128().hashBytes(RecordCodec.encode(r)).asLong();
            assertEquals(String.format("%016x", hash), r.etag());
        }
    }

    @Test
    void descendsMeansMergingChangesNothing() {
        CausalRecord x = causal(value("x", 1, "a"), "a");
        CausalRecord later = new CausalRecord(x.dvv().update(x.context(), value("x2", 2, "a"), "a"));
        CausalRecord concurrent = causal(value("y", 3, "b"), "b");
        assertTrue(later.descends(x));
        assertTrue(later.descends(later));
        assertFalse(x.descends(later));
        assertFalse(later.descends(concurrent));

        LwwRecord old = LwwRecord.of(value("o", 1, "a"));
        LwwRecord young = LwwRecord.of(value("y", 2, "a"));
        assertTrue(young.descends(old));
        assertFalse(old.descends(young));
    }

    @Test
    void causalRecordNeedsAValue() {
        assertThrows(IllegalArgumentException.class, () -> new CausalRecord(DvvSet.empty()));
    }

    @Test
    void siblingsAreValues() {
        byte[] bytes = {1, 2};
        Sibling s = Sibling.of(bytes, "t", at(1, "a"));
        bytes[0] = 9;
        assertEquals(Sibling.of(new byte[] {1, 2}, "t", at(1, "a")), s);
        s.value()[1] = 9;
        assertEquals(2, s.value()[1]);
        assertEquals(Set.of(s), Set.of(Sibling.of(new byte[] {1, 2}, "t", at(1, "a"))));
        assertEquals(1, s.lastModifiedMillis());
        assertThrows(IllegalArgumentException.class, () -> new Sibling(new byte[] {1}, "", at(1, "a"), true));
        assertTrue(Sibling.tombstone(at(1, "a")).toString().contains("tombstone"));
    }
}
