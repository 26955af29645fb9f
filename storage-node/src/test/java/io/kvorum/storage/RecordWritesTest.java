package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordWritesTest {
    private static final VersionVector NONE = VersionVector.empty();

    private static Sibling value(String text, long millis) {
        return Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(millis, 0, "coord"));
    }

    @Test
    void causalWriteOnAnAbsentKeyCreatesOneSibling() {
        CausalRecord r = RecordWrites.causalWrite(Optional.empty(), NONE, value("x", 1), "a", 64);
        assertEquals(List.of(value("x", 1)), r.siblings());
        assertEquals(1, r.context().get("a"));
    }

    @Test
    void causalWriteWithTheReadContextReplacesWhatWasRead() {
        CausalRecord first = RecordWrites.causalWrite(Optional.empty(), NONE, value("x", 1), "a", 64);
        CausalRecord second = RecordWrites.causalWrite(Optional.of(first), first.context(), value("y", 2), "a", 64);
        assertEquals(List.of(value("y", 2)), second.siblings());
    }

    @Test
    void writePastTheSiblingCapIsRefusedWithItsNumbers() {
        Optional<KeyRecord> current = Optional.empty();
        for (int i = 0; i < 3; i++) {
            current = Optional.of(RecordWrites.causalWrite(current, NONE, value("v" + i, i), "a", 3));
        }
        Optional<KeyRecord> full = current;
        SiblingLimitException e = assertThrows(SiblingLimitException.class,
                () -> RecordWrites.causalWrite(full, NONE, value("v3", 3), "a", 3));
        assertEquals(3, e.limit());
        assertEquals(4, e.siblings());
        assertTrue(e.getMessage().contains("read the key"), e.getMessage());
        // resolving with the full context is always possible at the cap
        CausalRecord resolved = RecordWrites.causalWrite(full, full.get().context(), value("r", 4), "a", 3);
        assertEquals(1, resolved.siblings().size());
    }

    @Test
    void writePastTheRecordByteCapIsRefusedWithItsNumbersAndCanBeResolved() {
        Optional<KeyRecord> current = Optional.empty();
        for (int i = 0; i < 3; i++) { // 3 x 4 bytes = 12, at the cap
            current = Optional.of(RecordWrites.causalWrite(current, NONE, value("abc" + i, i), "a", 64, 12));
        }
        Optional<KeyRecord> full = current;
        assertEquals(12, RecordWrites.valueBytes(full.get()));
        RecordSizeLimitException e = assertThrows(RecordSizeLimitException.class,
                () -> RecordWrites.causalWrite(full, NONE, value("d", 3), "a", 64, 12));
        assertEquals(12, e.limit());
        assertEquals(13, e.bytes());
        assertEquals(4, e.siblings());
        assertTrue(e.getMessage().contains("read the key"), e.getMessage());
        // superseding some siblings through their context makes room; superseding all always does
        CausalRecord resolved = RecordWrites.causalWrite(full, full.get().context(), value("resolved-12b", 4), "a", 64, 12);
        assertEquals(List.of(value("resolved-12b", 4)), resolved.siblings());
        // a tombstone beside it carries no value bytes: still at the cap, so accepted
        Sibling tombstone = Sibling.tombstone(new HlcTimestamp(5, 0, "coord"));
        assertEquals(12, RecordWrites.valueBytes(
                RecordWrites.causalWrite(Optional.of(resolved), NONE, tombstone, "a", 64, 12)));
        assertThrows(IllegalArgumentException.class,
                () -> RecordWrites.causalWrite(Optional.empty(), NONE, value("x", 1), "a", 64, 0));
    }

    @Test
    void causalWriteSupersedesAnLwwRecord() {
        Optional<KeyRecord> lww = Optional.of(LwwRecord.of(value("old", 1)));
        CausalRecord r = RecordWrites.causalWrite(lww, NONE, value("new", 2), "a", 64);
        assertEquals(List.of(value("new", 2)), r.siblings());
    }

    @Test
    void causalDeleteWritesATombstone() {
        CausalRecord x = RecordWrites.causalWrite(Optional.empty(), NONE, value("x", 1), "a", 64);
        Sibling tombstone = Sibling.tombstone(new HlcTimestamp(2, 0, "coord"));
        CausalRecord deleted = RecordWrites.causalWrite(Optional.of(x), x.context(), tombstone, "b", 64);
        assertTrue(deleted.isDeleted());
        assertEquals(List.of(tombstone), deleted.siblings());
    }

    @Test
    void invalidCapIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> RecordWrites.causalWrite(Optional.empty(), NONE, value("x", 1), "a", 0));
    }

    @Test
    void lwwWriteKeepsTheNewestAndReportsDiscardedWrites() {
        LwwRecord first = RecordWrites.lwwWrite(Optional.empty(), value("b", 20));
        assertEquals(value("b", 20), first.value());

        LwwRecord stale = RecordWrites.lwwWrite(Optional.of(first), value("a", 10));
        assertEquals(value("b", 20), stale.value());
        assertTrue(RecordWrites.lwwDiscarded(stale, value("a", 10)));

        LwwRecord newer = RecordWrites.lwwWrite(Optional.of(first), value("c", 30));
        assertEquals(value("c", 30), newer.value());
        assertFalse(RecordWrites.lwwDiscarded(newer, value("c", 30)));

        LwwRecord replay = RecordWrites.lwwWrite(Optional.of(newer), value("c", 30));
        assertFalse(RecordWrites.lwwDiscarded(replay, value("c", 30)));
    }

    @Test
    void lwwWriteOverACausalRecordComparesWithItsNewestSibling() {
        CausalRecord causal = new CausalRecord(DvvSet.empty().update(NONE, value("x", 50), "a")
                .sync(DvvSet.empty().update(NONE, value("y", 70), "b")));
        assertEquals(value("y", 70), RecordWrites.lwwWrite(Optional.of(causal), value("z", 60)).value());
        assertEquals(value("z", 80), RecordWrites.lwwWrite(Optional.of(causal), value("z", 80)).value());
    }
}
