package io.kvorum.node.paxos;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.CausalRecord;
import io.kvorum.storage.DvvSet;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.VersionVector;
import io.kvorum.storage.paxos.Ballot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CasUpdatesTest {
    static Sibling s(String v, long t, String node) {
        return Sibling.of(v.getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(t, 0, node));
    }

    @Test
    void aCausalCasSupersedesEverySiblingSoTheKeyEndsWithOneValue() {
        DvvSet two = DvvSet.empty().update(VersionVector.empty(), s("a", 1, "n1"), "n1")
                .update(VersionVector.empty(), s("b", 2, "n2"), "n2");
        KeyRecord current = new CausalRecord(two);
        assertEquals(2, current.siblings().size());
        KeyRecord update = CasUpdates.build(Optional.of(current), s("c", 0, "x"), Ballot.of(10, 0, "n3"), false);
        KeyRecord merged = current.merge(update);
        assertEquals(1, merged.siblings().size());
        assertEquals("c", new String(merged.siblings().get(0).value(), StandardCharsets.UTF_8));
        assertEquals(new HlcTimestamp(10, 0, "n3"), merged.siblings().get(0).stamp());
        assertTrue(update.context().descends(current.context()));
    }

    @Test
    void anLwwCasTakesTheBallotTimeOrAStampAboveTheCurrentValue() {
        KeyRecord update = CasUpdates.build(Optional.empty(), s("v", 0, "x"), Ballot.of(10, 0, "n1"), true);
        assertInstanceOf(LwwRecord.class, update);
        assertEquals(new HlcTimestamp(10, 0, "n1"), update.newestStamp());
        KeyRecord ahead = LwwRecord.of(s("future", 50, "n2"));
        KeyRecord over = CasUpdates.build(Optional.of(ahead), s("v", 0, "x"), Ballot.of(10, 0, "n1"), true);
        assertTrue(over.newestStamp().isAfter(ahead.newestStamp()));
        assertEquals(over, ahead.merge(over));
    }
}
