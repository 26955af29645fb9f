package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private static final HlcTimestamp STAMP = new HlcTimestamp(1_700_000_000_000L, 3, "node-😀");

    @Test
    void supplementaryCharactersRoundTrip() {
        Sibling s = Sibling.of("🙂".getBytes(StandardCharsets.UTF_8), "text/plain; name=\"😀\"", STAMP);
        LwwRecord record = new LwwRecord(s, VersionVector.of(Map.of("n😀", 7L)));
        assertEquals(record, RecordCodec.decode(RecordCodec.encode(record)));
    }

    @Test
    void unpairedSurrogatesCannotBeEncoded() {
        Sibling s = Sibling.of(new byte[0], "bad\uD800", STAMP);
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.encode(LwwRecord.of(s)));
    }

    @Test
    void unknownFormatVersionIsRejectedByName() {
        byte[] encoded = RecordCodec.encode(LwwRecord.of(Sibling.tombstone(STAMP)));
        encoded[0] = 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(encoded));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    }

    @Test
    void unknownKindIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(new byte[] {1, 9}));
    }

    @Test
    void emptyAndNullInputAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(null));
    }

    @Test
    void causalRecordWithoutAnyValueIsRejected() {
        // version 1, causal, one entry "a" with counter 1 and no values
        byte[] noValues = {1, 1, 1, 1, 'a', 1, 0};
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(noValues));
    }

    @Test
    void tombstoneWithAValueIsRejected() {
        byte[] encoded = RecordCodec.encode(LwwRecord.of(Sibling.of(new byte[] {7}, "", STAMP)));
        encoded[2] = 1; // set the tombstone flag on a sibling that carries a value
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(encoded));
    }

    @Test
    void encodingIsCompact() {
        CausalRecord record = new CausalRecord(DvvSet.empty().update(VersionVector.empty(),
                Sibling.of(new byte[100], "application/octet-stream", STAMP), "node-1"));
        int size = RecordCodec.encode(record).length;
        assertTrue(size < 100 + 24 + 8 + 20 + 10 + 10, "encoded size " + size);
        assertEquals(List.of(record.siblings().get(0)), RecordCodec.decode(RecordCodec.encode(record)).siblings());
    }
}
