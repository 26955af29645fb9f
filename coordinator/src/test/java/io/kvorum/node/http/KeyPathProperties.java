package io.kvorum.node.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Laws of key encoding and decoding over arbitrary bytes and arbitrary path text. */
class KeyPathProperties {

    @Provide
    Arbitrary<String> buckets() {
        return Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64);
    }

    @Property(tries = 2000)
    void encodeThenParseGivesBackEveryKey(@ForAll("buckets") String bucket, @ForAll @Size(min = 1, max = 200) byte[] key) {
        KeyPath p = KeyPath.parse("/kv/" + bucket + "/" + KeyPath.encode(key), 1024);
        assertEquals(bucket, p.bucket());
        assertArrayEquals(key, p.key());
    }

    @Property(tries = 1000)
    void encodedKeysUseOnlyUnreservedCharactersAndEscapes(@ForAll @Size(max = 100) byte[] key) {
        String encoded = KeyPath.encode(key);
        assertTrue(encoded.matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})*"), encoded);
    }

    @Property(tries = 1000)
    void encodingIsInjective(@ForAll @Size(max = 20) byte[] a, @ForAll @Size(max = 20) byte[] b) {
        assertEquals(java.util.Arrays.equals(a, b), KeyPath.encode(a).equals(KeyPath.encode(b)));
    }

    /** Whatever a client sends as a key, the parser answers with a key or a 400, never anything else. */
    @Property(tries = 3000)
    void arbitraryKeyTextGivesAKeyOrABadRequest(@ForAll @StringLength(max = 30) String keyText) {
        try {
            KeyPath p = KeyPath.parse("/kv/b/" + keyText, 1024);
            assertTrue(p.key().length >= 1);
        } catch (ApiError e) {
            assertEquals(400, e.status());
        } catch (RuntimeException e) {
            fail("parse('/kv/b/" + keyText + "') threw " + e);
        }
    }

    @Provide
    Arbitrary<String> percentHeavyText() {
        return Arbitraries.strings().withChars("%0123456789abcdefABCDEFgG+/ ").ofMaxLength(12);
    }

    @Property(tries = 3000)
    void percentHeavyKeyTextGivesAKeyOrABadRequest(@ForAll("percentHeavyText") String keyText) {
        try {
            KeyPath.parse("/kv/b/" + keyText, 1024);
        } catch (ApiError e) {
            assertEquals(400, e.status());
        } catch (RuntimeException e) {
            fail("parse('/kv/b/" + keyText + "') threw " + e);
        }
    }

    /** Text with no '%' decodes to its own UTF-8 bytes. */
    @Property(tries = 1000)
    void textWithoutEscapesIsItsOwnUtf8(@ForAll @StringLength(min = 1, max = 30) String keyText) {
        net.jqwik.api.Assume.that(keyText.indexOf('%') < 0);
        assertArrayEquals(keyText.getBytes(java.nio.charset.StandardCharsets.UTF_8), KeyPath.percentDecode(keyText));
    }
}
