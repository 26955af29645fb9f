package io.kvorum.ring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.common.hash.Hashing;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

    /** Pinned: if these change, every key in every existing cluster moves partition. */
    @Test
    void tokensAreStableAcrossReleases() {
        assertEquals(-3033734117929159040L, KeyHasher.token("users", "alice".getBytes(UTF_8)));
        assertEquals(5048724184180415669L, KeyHasher.token("", new byte[0]));
    }

    @Test
    void tokenIsMurmur3OverBucketSeparatorAndKey() {
        byte[] input = {'u', 's', 'e', 'r', 's', 0, 'a', 'l', 'i', 'c', 'e'};
        assertEquals(Hashing.murmur3_128().hashBytes(input).asLong(), KeyHasher.token("users", "alice".getBytes(UTF_8)));
    }

    @Test
    void separatorKeepsBucketAndKeyApart() {
        assertNotEquals(KeyHasher.token("ab", "c".getBytes(UTF_8)), KeyHasher.token("a", "bc".getBytes(UTF_8)));
    }

    @Test
    void bucketIsEncodedAsUtf8() {
        byte[] input = {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, 0, 1, 2};
        assertEquals(Hashing.murmur3_128().hashBytes(input).asLong(), KeyHasher.token("caf\u00e9", new byte[] {1, 2}));
    }

    @Test
    void bucketMatters() {
        byte[] key = "k".getBytes(UTF_8);
        assertNotEquals(KeyHasher.token("a", key), KeyHasher.token("b", key));
    }
}
