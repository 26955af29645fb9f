package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StorageKeyTest {

    @Test
    void encodingIsPartitionBucketLengthBucketKey() {
        StorageKey key = new StorageKey(258, "ab", new byte[] {9, 8});
        assertArrayEquals(new byte[] {0, 0, 1, 2, 0, 2, 'a', 'b', 9, 8}, key.encode());
    }

    @Test
    void valueEqualityAndDefensiveCopies() {
        byte[] bytes = {1, 2, 3};
        StorageKey key = new StorageKey(1, "b", bytes);
        bytes[0] = 42;
        assertEquals(new StorageKey(1, "b", new byte[] {1, 2, 3}), key);
        key.key()[0] = 42;
        assertEquals(new StorageKey(1, "b", new byte[] {1, 2, 3}), key);
        assertNotEquals(new StorageKey(2, "b", new byte[] {1, 2, 3}), key);
        assertEquals("StorageKey[1/b/0x010203]", key.toString());
    }

    @Test
    void invalidKeysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StorageKey(-1, "b", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new StorageKey(0, "bad\uDC00", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new StorageKey(0, "x".repeat(70_000), new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> StorageKey.decode(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> StorageKey.decode(new byte[] {0, 0, 0, 0, 0, 1, (byte) 0xFF}));
    }
}
