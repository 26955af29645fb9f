package io.kvorum.storage;

import io.kvorum.ring.HlcTimestamp;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One version of a key's value: the bytes, their content type, the hybrid logical clock
 * timestamp taken by the coordinator that accepted the write, and whether it is a tombstone
 * (a causal delete).
 *
 * <p>Immutable: the value array is copied on the way in and on the way out (the record codec of
 * this package alone hands over arrays nobody else holds, and reads them in place), and equality
 * is by content. A tombstone has an empty value and an empty content type.
 */
public final class Sibling {
    private static final byte[] EMPTY = new byte[0];
    private final byte[] value;
    private final String contentType;
    private final HlcTimestamp stamp;
    private final boolean tombstone;

    public Sibling(byte[] value, String contentType, HlcTimestamp stamp, boolean tombstone) {
        this(Objects.requireNonNull(value, "value").clone(), contentType, stamp, tombstone, true);
    }

    /**
     * Takes {@code value} as it is: the caller hands over an array that nobody else holds. The last
     * parameter only tells this constructor from the public one.
     */
    private Sibling(byte[] value, String contentType, HlcTimestamp stamp, boolean tombstone, boolean owned) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(stamp, "stamp");
        if (tombstone && (value.length != 0 || !contentType.isEmpty())) {
            throw new IllegalArgumentException("a tombstone carries no value and no content type");
        }
        this.value = value.length == 0 ? EMPTY : value;
        this.contentType = contentType;
        this.stamp = stamp;
        this.tombstone = tombstone;
    }

    /** For the record codec: a sibling of {@code value}, which nobody else holds (not copied). */
    static Sibling owning(byte[] value, String contentType, HlcTimestamp stamp, boolean tombstone) {
        return new Sibling(value, contentType, stamp, tombstone, true);
    }

    /** A live value. */
    public static Sibling of(byte[] value, String contentType, HlcTimestamp stamp) {
        return new Sibling(value, contentType, stamp, false);
    }

    /**
     * A live value of {@code fresh}, taken as it is: for an array just made for this sibling (a
     * request body copied out of its buffer) that the caller will neither keep nor change.
     */
    public static Sibling ofFresh(byte[] fresh, String contentType, HlcTimestamp stamp) {
        return new Sibling(fresh, contentType, stamp, false, true);
    }

    /** A delete marker written at {@code stamp}. */
    public static Sibling tombstone(HlcTimestamp stamp) {
        return new Sibling(EMPTY, "", stamp, true);
    }

    /** A copy of the value bytes. */
    public byte[] value() {
        return value.length == 0 ? EMPTY : value.clone();
    }

    /** The value bytes as a read-only view: to copy them once, where they go (a response), without a copy first. */
    public ByteBuffer valueView() {
        return ByteBuffer.wrap(value).asReadOnlyBuffer();
    }

    /** For the record codec: the value bytes themselves, to be read and never changed. */
    byte[] valueInPlace() {
        return value;
    }

    public String contentType() {
        return contentType;
    }

    public HlcTimestamp stamp() {
        return stamp;
    }

    public boolean tombstone() {
        return tombstone;
    }

    /** The value's length without copying it. */
    public int valueLength() {
        return value.length;
    }

    /** The wall-clock part of the stamp: what {@code Last-Modified} shows. */
    public long lastModifiedMillis() {
        return stamp.wallMillis();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sibling other
                && tombstone == other.tombstone
                && stamp.equals(other.stamp)
                && contentType.equals(other.contentType)
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), contentType, stamp, tombstone);
    }

    @Override
    public String toString() {
        if (tombstone) {
            return "Sibling[tombstone, stamp=" + stamp + "]";
        }
        return "Sibling[value=" + preview(value) + ", contentType=" + contentType + ", stamp=" + stamp + "]";
    }

    private static String preview(byte[] bytes) {
        StringBuilder sb = new StringBuilder().append(bytes.length).append(" bytes");
        if (bytes.length > 0) {
            sb.append(" 0x");
            for (int i = 0; i < Math.min(bytes.length, 16); i++) {
                sb.append(String.format("%02x", bytes[i] & 0xFF));
            }
            if (bytes.length > 16) {
                sb.append("…");
            }
        }
        return sb.toString();
    }
}
