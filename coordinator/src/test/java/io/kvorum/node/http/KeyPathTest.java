package io.kvorum.node.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyPathTest {
    private static final int MAX = 1024;

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    /** raw path, expected bucket, expected key bytes in hex. */
    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = '|', value = {
            "/kv/users/alice          | users   | 616c696365",
            "/kv/users/a%2Fb          | users   | 612f62",        // encoded slash stays inside the key
            "/kv/users/a/b/c          | users   | 612f622f63",    // raw slashes after the bucket belong to the key
            "/kv/users/a+b            | users   | 612b62",        // '+' is a literal plus, not a space
            "/kv/users/a%20b          | users   | 612062",
            "/kv/users/%3F%25%23      | users   | 3f2523",        // '?', '%', '#'
            "/kv/users/%2f%3f         | users   | 2f3f",          // lower-case hex digits
            "/kv/users/%00%FF%80      | users   | 00ff80",        // any byte, not only valid UTF-8
            "/kv/users/%C3%A9         | users   | c3a9",
            "/kv/users/é              | users   | c3a9",          // a raw non-ASCII character is its UTF-8 bytes
            "/kv/users/%41            | users   | 41",            // escape at the very end of the key
            "/kv/users/~              | users   | 7e",
            "/kv/a.B_c-9/k            | a.B_c-9 | 6b",
            "/kv/%75sers/k            | users   | 6b",            // the bucket is percent-decoded too
    })
    void parsesBucketAndPercentDecodedKey(String raw, String bucket, String keyHex) {
        KeyPath p = KeyPath.parse(raw, MAX);
        assertEquals(bucket, p.bucket());
        assertArrayEquals(hex(keyHex), p.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/kv/users",            // no slash after the bucket: no key
            "/kv/users/",           // empty key
            "/kv//alice",           // empty bucket
            "/kv/us%2Fers/alice",   // decoded bucket holds '/'
            "/kv/us ers/alice",
            "/kv/usérs/alice",      // bucket outside [A-Za-z0-9._-]
            "/kv/users/%",          // truncated escapes
            "/kv/users/a%",
            "/kv/users/a%4",
            "/kv/users/%4G",        // non-hex digits
            "/kv/users/%G4",
            "/kv/users/%%41",
            "/kv/users/%-1",
            "/kv/users/%+1",
            "/kv/users/%é",
    })
    void rejectsMalformedPathsAsBadRequest(String raw) {
        ApiError e = assertThrows(ApiError.class, () -> KeyPath.parse(raw, MAX));
        assertEquals(400, e.status());
        assertTrue(!e.detail().isBlank());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64})
    void acceptsBucketNamesOfOneTo64Characters(int length) {
        assertDoesNotThrow(() -> KeyPath.checkBucket("b".repeat(length)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a b", "a%b", "a:b", "ä", "\u0000"})
    void rejectsBucketNamesOutsideTheAllowedAlphabet(String bucket) {
        assertEquals(400, assertThrows(ApiError.class, () -> KeyPath.checkBucket(bucket)).status());
    }

    @org.junit.jupiter.api.Test
    void rejectsA65CharacterBucketName() {
        assertEquals(400, assertThrows(ApiError.class, () -> KeyPath.checkBucket("b".repeat(65))).status());
    }

    /** The limit applies to the decoded length: "%41" is one byte, not three. */
    @ParameterizedTest(name = "max={0}, key={1} -> accepted={2}")
    @CsvSource({
            "3, abc,       true",
            "3, abcd,      false",
            "3, %41%42%43, true",
            "3, %41%42%43d, false",
            "1, %FF,       true",
            "1, é,         false",   // two UTF-8 bytes
    })
    void limitsTheKeyLengthInDecodedBytes(int max, String key, boolean accepted) {
        String raw = "/kv/b/" + key;
        if (accepted) {
            assertDoesNotThrow(() -> KeyPath.parse(raw, max));
        } else {
            ApiError e = assertThrows(ApiError.class, () -> KeyPath.parse(raw, max));
            assertEquals(400, e.status());
            assertTrue(e.detail().contains("maxKeyBytes"), e.detail());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "616c696365 | alice",
            "414d7a7e2d2e5f30 | AMz~-._0",   // unreserved characters stay as they are
            "2f         | %2F",
            "20         | %20",
            "2b         | %2B",
            "25         | %25",
            "00ff0a     | %00%FF%0A",         // upper-case hex, two digits always
            "c3a9       | %C3%A9",
    })
    void encodesOnlyNonUnreservedBytes(String keyHex, String encoded) {
        assertEquals(encoded, KeyPath.encode(hex(keyHex)));
    }

    @org.junit.jupiter.api.Test
    void encodedKeyParsesBackToTheSameBytes() {
        byte[] key = "a/b?c=d&e f%g+h#i".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(key, KeyPath.parse("/kv/b/" + KeyPath.encode(key), MAX).key());
    }
}
