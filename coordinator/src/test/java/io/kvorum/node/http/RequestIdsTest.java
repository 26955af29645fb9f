package io.kvorum.node.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {
    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    @Property(tries = 2000)
    void saneAcceptsExactlyTheDocumentedIds(@ForAll String id) {
        assertEquals(DOCUMENTED.matcher(id).matches(), RequestIds.sane(id), id);
    }

    @Test
    void saneAtTheEdges() {
        assertTrue(RequestIds.sane("trace-42"));
        assertTrue(RequestIds.sane("a".repeat(128)));
        assertFalse(RequestIds.sane("a".repeat(129)));
        assertFalse(RequestIds.sane(""));
        assertFalse(RequestIds.sane("has space"));
        assertTrue(RequestIds.sane("A.b_c:d/e+f=g-0"));
    }

    @Test
    void generatedIdsAreDistinctVersion4UuidsAndSane() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.generate();
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version());
            assertEquals(2, uuid.variant());
            assertTrue(RequestIds.sane(id));
            assertTrue(seen.add(id), "duplicate " + id);
        }
    }
}
