package io.kvorum.ring;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Maps a (bucket, key) pair to a 64-bit ring token: Murmur3-128 over the UTF-8 bucket name,
 * one {@code 0x00} separator byte and the key bytes, truncated with {@code asLong()}.
 * The separator keeps {@code ("ab", "c")} and {@code ("a", "bc")} apart. Changing this
 * function moves every key, so it is pinned by a test.
 */
public final class KeyHasher {
    private static final HashFunction MURMUR = Hashing.murmur3_128();

    private KeyHasher() {
    }

    /** The token of {@code key} in {@code bucket}. */
    public static long token(String bucket, byte[] key) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        return MURMUR.newHasher(bucket.length() * 3 + 1 + key.length)
                .putBytes(bucket.getBytes(StandardCharsets.UTF_8))
                .putByte((byte) 0)
                .putBytes(key)
                .hash()
                .asLong();
    }
}
