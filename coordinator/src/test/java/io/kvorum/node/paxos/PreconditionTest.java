package io.kvorum.node.paxos;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreconditionTest {
    static final KeyRecord VALUE = LwwRecord.of(Sibling.of("v".getBytes(StandardCharsets.UTF_8), "text/plain",
            new HlcTimestamp(5, 0, "n1")));
    static final KeyRecord DELETED = LwwRecord.of(Sibling.tombstone(new HlcTimestamp(6, 0, "n1")));
    static final String ETAG = VALUE.etag();

    static Precondition p(String ifMatch, String ifNoneMatch) {
        return Precondition.parse(ifMatch, ifNoneMatch).orElseThrow();
    }

    @Test
    void noHeadersNoPrecondition() {
        assertEquals(Optional.empty(), Precondition.parse(null, null));
    }

    @Test
    void ifNoneMatchStarHoldsOnlyWhenThereIsNoLiveValue() {
        assertTrue(p(null, "*").holds(Optional.empty()));
        assertTrue(p(null, "*").holds(Optional.of(DELETED)));
        assertFalse(p(null, "*").holds(Optional.of(VALUE)));
    }

    @Test
    void ifMatchComparesTheCurrentEtagStrongly() {
        assertTrue(p("\"" + ETAG + "\"", null).holds(Optional.of(VALUE)));
        assertTrue(p("\"other\", \"" + ETAG + "\"", null).holds(Optional.of(VALUE)));
        assertFalse(p("\"other\"", null).holds(Optional.of(VALUE)));
        assertFalse(p("W/\"" + ETAG + "\"", null).holds(Optional.of(VALUE)), "a weak tag never matches If-Match");
        assertFalse(p("\"" + ETAG + "\"", null).holds(Optional.empty()));
        assertTrue(p("*", null).holds(Optional.of(VALUE)));
        assertFalse(p("*", null).holds(Optional.empty()), "If-Match: * fails on an absent key");
        assertFalse(p("*", null).holds(Optional.of(DELETED)));
    }

    @Test
    void ifNoneMatchWithTagsFailsWhenOneMatchesEvenWeakly() {
        assertFalse(p(null, "W/\"" + ETAG + "\"").holds(Optional.of(VALUE)));
        assertTrue(p(null, "\"other\"").holds(Optional.of(VALUE)));
    }

    @Test
    void parsesListsAndWeakTags() {
        Precondition.Tags t = Precondition.tags("If-Match", " \"a\" ,W/\"b\",  \"c\"");
        assertEquals(List.of("a", "c"), t.strong());
        assertEquals(List.of("b"), t.weak());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "\"abc", "\"a\",", "\"a\" \"b\"", "W/abc", "**", "\"a b\""})
    void malformedHeadersAreRejectedWithAClearMessage(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precondition.parse(value, null));
        assertTrue(e.getMessage().contains("If-Match"), e.getMessage());
    }
}
