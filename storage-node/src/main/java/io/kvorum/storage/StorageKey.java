package io.kvorum.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The storage address of a key: its ring partition, bucket and key bytes.
 *
 * <p>{@link #encode()} gives {@code partition (4 bytes, big-endian) | bucket length (2 bytes,
 * big-endian) | bucket (UTF-8) | key bytes}. Compared as unsigned bytes (MapDB's byte[] order),
 * encoded keys sort by partition first, so one partition's keys are a contiguous range starting at
 * {@link #partitionPrefix(int)}, and within it one bucket's keys are contiguous as well.
 */
public record StorageKey(int partition, String bucket, byte[] key) implements Comparable<StorageKey> {
    /** Longest bucket name, in UTF-8 bytes, that the encoding can hold. */
    public static final int MAX_BUCKET_BYTES = 0xFFFF;

    public StorageKey {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (Utf8.encode(bucket, "bucket").length > MAX_BUCKET_BYTES) {
            throw new IllegalArgumentException("bucket name longer than " + MAX_BUCKET_BYTES + " UTF-8 bytes");
        }
        key = key.clone();
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    public byte[] encode() {
        byte[] bucketBytes = Utf8.encode(bucket, "bucket");
        return ByteBuffer.allocate(6 + bucketBytes.length + key.length)
                .putInt(partition)
                .putShort((short) bucketBytes.length)
                .put(bucketBytes)
                .put(key)
                .array();
    }

    public static StorageKey decode(byte[] bytes) {
        if (bytes == null || bytes.length < 6) {
            throw new IllegalArgumentException("truncated storage key: "
                    + (bytes == null ? "null" : bytes.length + " bytes") + ", at least 6 needed");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int partition = buffer.getInt();
        if (partition < 0) {
            throw new IllegalArgumentException("malformed storage key: negative partition " + partition);
        }
        int bucketLength = Short.toUnsignedInt(buffer.getShort());
        if (bucketLength > buffer.remaining()) {
            throw new IllegalArgumentException("truncated storage key: bucket needs " + bucketLength
                    + " bytes, only " + buffer.remaining() + " remain");
        }
        String bucket = Utf8.decode(bytes, 6, bucketLength, "storage key bucket");
        byte[] key = Arrays.copyOfRange(bytes, 6 + bucketLength, bytes.length);
        return new StorageKey(partition, bucket, key);
    }

    /** The first 4 bytes of every encoded key of {@code partition}. */
    public static byte[] partitionPrefix(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
        return ByteBuffer.allocate(4).putInt(partition).array();
    }

    /** The order of {@link #encode()} under unsigned byte comparison. */
    @Override
    public int compareTo(StorageKey other) {
        return Arrays.compareUnsigned(encode(), other.encode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageKey other
                && partition == other.partition
                && bucket.equals(other.bucket)
                && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partition, bucket, Arrays.hashCode(key));
    }

    @Override
    public String toString() {
        return "StorageKey[" + partition + "/" + bucket + "/0x" + HexFormat.of().formatHex(key) + "]";
    }
}
