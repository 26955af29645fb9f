package io.kvorum.storage;

import io.kvorum.ring.HlcTimestamp;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The ways a value gets into and out of a sibling without a copy leave it what it was. */
class SiblingTest {
    private static final HlcTimestamp AT = new HlcTimestamp(1_000, 0, "n1");

    @Test
    void aFreshArrayMakesTheSameSiblingAsACopiedOne() {
        Sibling fresh = Sibling.ofFresh(new byte[] {1, 2, 3}, "text/plain", AT);
        assertEquals(Sibling.of(new byte[] {1, 2, 3}, "text/plain", AT), fresh);
        assertEquals(3, fresh.valueLength());
        assertEquals(Sibling.of(new byte[0], "text/plain", AT), Sibling.ofFresh(new byte[0], "text/plain", AT));
    }

    @Test
    void theValueViewShowsTheValueAndCannotChangeIt() {
        Sibling s = Sibling.of(new byte[] {4, 5, 6, 7}, "application/octet-stream", AT);
        ByteBuffer view = s.valueView();
        assertEquals(4, view.remaining());
        byte[] seen = new byte[view.remaining()];
        view.duplicate().get(seen);
        assertArrayEquals(s.value(), seen);
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 9));
        assertArrayEquals(new byte[] {4, 5, 6, 7}, s.value());
    }
}
