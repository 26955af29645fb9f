package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionVectorTest {

    @Test
    void zeroCountersAreDroppedSoEqualHistoriesAreEqual() {
        assertEquals(VersionVector.empty(), VersionVector.of(Map.of("a", 0L)));
        assertEquals(VersionVector.of(Map.of("a", 1L)), VersionVector.of(Generators.counters("a", 1, "b", 0)));
    }

    @Test
    void negativeCountersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of("a", -1L)));
    }

    @Test
    void countersAreImmutableAndCopied() {
        TreeMap<String, Long> source = new TreeMap<>(Map.of("a", 1L));
        VersionVector vv = new VersionVector(source);
        source.put("b", 2L);
        assertEquals(0, vv.get("b"));
        assertThrows(UnsupportedOperationException.class, () -> vv.counters().put("c", 3L));
    }

    @Test
    void mergeTakesThePointwiseMaximum() {
        VersionVector a = VersionVector.of(Map.of("a", 3L, "b", 1L));
        VersionVector b = VersionVector.of(Map.of("b", 4L, "c", 2L));
        assertEquals(VersionVector.of(Map.of("a", 3L, "b", 4L, "c", 2L)), a.merge(b));
    }

    @Test
    void descendsNeedsEveryCounterAtLeastAsHigh() {
        VersionVector a = VersionVector.of(Map.of("a", 3L, "b", 1L));
        assertTrue(a.descends(VersionVector.of(Map.of("a", 3L))));
        assertFalse(a.descends(VersionVector.of(Map.of("b", 2L))));
        assertFalse(a.descends(VersionVector.of(Map.of("c", 1L))));
    }

    @Test
    void tokenOfTheEmptyContextIsShortAndUrlSafe() {
        assertEquals("AQA", VersionVector.empty().toToken());
        assertEquals(VersionVector.empty(), VersionVector.fromToken("AQA"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not base64!", "AQ", "AgA", "AQE", "AQEBYQA", "AQA=x", "////"})
    void garbageTokensAreRejectedWithAClearMessage(String token) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionVector.fromToken(token));
        assertTrue(e.getMessage().startsWith("invalid causal context token"), e.getMessage());
    }

    @Test
    void nullTokenIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> VersionVector.fromToken(null));
    }

    @Test
    void unknownFormatVersionIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VersionVector.decode(new byte[] {9, 0}));
        assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
    }

    @Test
    void nonCanonicalEncodingsAreRejected() {
        // two entries out of order: "b"=1 then "a"=1
        byte[] unsorted = {1, 2, 1, 'b', 1, 1, 'a', 1};
        assertThrows(IllegalArgumentException.class, () -> VersionVector.decode(unsorted));
        byte[] zero = {1, 1, 1, 'a', 0};
        assertThrows(IllegalArgumentException.class, () -> VersionVector.decode(zero));
        byte[] trailing = {1, 0, 0};
        assertThrows(IllegalArgumentException.class, () -> VersionVector.decode(trailing));
    }
}
