package io.kvorum.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The stored form of a {@link Hint}, shared by both hint stores.
 *
 * <pre>
 * key   := targetLength:u16 (big-endian) target:utf8 storageKey:{@link StorageKey#encode()}
 * value := version:u8(=1) createdAtMillis:i64 (big-endian) record:{@link RecordCodec}
 * </pre>
 *
 * Compared as unsigned bytes (MapDB's {@code byte[]} order), the keys of one target form a
 * contiguous range starting at {@link #targetPrefix(String)} (the length makes the prefix
 * unambiguous: no target's prefix is a prefix of another's), ordered within it by
 * {@link StorageKey} order (partition, bucket, key).
 */
final class HintCodec {
    static final int FORMAT_VERSION = 1;
    private static final int VALUE_HEADER = 9;

    private HintCodec() {
    }

    static byte[] targetPrefix(String target) {
        byte[] bytes = Utf8.encode(Hint.requireValidTarget(target), "hint target");
        return ByteBuffer.allocate(2 + bytes.length).putShort((short) bytes.length).put(bytes).array();
    }

    static byte[] key(String target, StorageKey key) {
        byte[] prefix = targetPrefix(target);
        byte[] storageKey = key.encode();
        return ByteBuffer.allocate(prefix.length + storageKey.length).put(prefix).put(storageKey).array();
    }

    static String target(byte[] key) {
        return Utf8.decode(key, 2, targetLength(key), "hint target");
    }

    static StorageKey storageKey(byte[] key) {
        return StorageKey.decode(Arrays.copyOfRange(key, 2 + targetLength(key), key.length));
    }

    private static int targetLength(byte[] key) {
        if (key.length < 2) {
            throw new IllegalArgumentException("truncated hint key: " + key.length + " bytes");
        }
        int length = Short.toUnsignedInt(ByteBuffer.wrap(key).getShort());
        if (length == 0 || 2 + length > key.length) {
            throw new IllegalArgumentException("malformed hint key: target length " + length + " in "
                    + key.length + " bytes");
        }
        return length;
    }

    static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] value(long createdAtMillis, KeyRecord record) {
        byte[] encoded = RecordCodec.encode(record);
        return ByteBuffer.allocate(VALUE_HEADER + encoded.length)
                .put((byte) FORMAT_VERSION)
                .putLong(createdAtMillis)
                .put(encoded)
                .array();
    }

    static long createdAtMillis(byte[] value) {
        if (value.length < VALUE_HEADER) {
            throw new IllegalArgumentException("truncated hint value: " + value.length + " bytes, at least "
                    + VALUE_HEADER + " needed");
        }
        if (value[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown hint format version " + Byte.toUnsignedInt(value[0])
                    + " (this node reads version " + FORMAT_VERSION + ")");
        }
        return ByteBuffer.wrap(value, 1, 8).getLong();
    }

    static KeyRecord record(byte[] value) {
        createdAtMillis(value); // checks the header
        return RecordCodec.decode(Arrays.copyOfRange(value, VALUE_HEADER, value.length));
    }

    static Hint decode(byte[] key, byte[] value) {
        return new Hint(target(key), storageKey(key), record(value), createdAtMillis(value));
    }
}
