package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Strict UTF-8, whether a string takes the ASCII path or the checked one. */
class Utf8Test {
    @Property(tries = 500)
    void wellFormedStringsRoundTripToTheirUtf8Bytes(@ForAll String s) {
        boolean wellFormed = StandardCharsets.UTF_8.newEncoder().canEncode(s);
        if (!wellFormed) {
            assertThrows(IllegalArgumentException.class, () -> Utf8.encode(s, "s"));
            return;
        }
        byte[] bytes = Utf8.encode(s, "s");
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), bytes);
        byte[] framed = new byte[bytes.length + 4];
        System.arraycopy(bytes, 0, framed, 2, bytes.length);
        assertEquals(s, Utf8.decode(framed, 2, bytes.length, "s"));
    }

    @Property(tries = 500)
    void theWriterPutsStringsAsTheirLengthAndUtf8Bytes(@ForAll String s, @ForAll byte before) {
        BinaryWriter expected = new BinaryWriter(16).writeByte(before);
        BinaryWriter written = new BinaryWriter(16).writeByte(before);
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(s)) {
            assertThrows(IllegalArgumentException.class, () -> written.writeString(s, "s"));
            return;
        }
        expected.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        written.writeString(s, "s");
        assertArrayEquals(expected.toByteArray(), written.toByteArray());
    }

    @Test
    void asciiAndNonAsciiBothRoundTrip() {
        for (String s : new String[] {"", "application/octet-stream", "n1", "héllo", "日本", "a\u0000b", "\u007f"}) {
            assertEquals(s, Utf8.decode(Utf8.encode(s, "s"), 0, Utf8.encode(s, "s").length, "s"), s);
        }
    }

    @Test
    void unpairedSurrogatesAndMalformedBytesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Utf8.encode("ab\uD800", "s"));
        assertThrows(IllegalArgumentException.class, () -> Utf8.decode(new byte[] {'a', (byte) 0xC3}, 0, 2, "s"));
        assertThrows(IllegalArgumentException.class, () -> Utf8.decode(new byte[] {(byte) 0xFF}, 0, 1, "s"));
    }
}
