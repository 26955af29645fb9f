package io.kvorum.storage;

import java.util.Arrays;

/**
 * A small growable byte sink for the storage codecs: unsigned LEB128 varints for counts and
 * counters, zig-zag varints for signed values, length-prefixed byte strings and strict UTF-8.
 */
final class BinaryWriter {
    private byte[] buffer;
    private int size;

    BinaryWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    BinaryWriter writeByte(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
        return this;
    }

    /** An unsigned varint; {@code value} must be non-negative. */
    BinaryWriter writeVarLong(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value cannot be written as an unsigned varint: " + value);
        }
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
        return this;
    }

    /** A signed value, zig-zag encoded so that small magnitudes stay small. */
    BinaryWriter writeZigZagLong(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        ensure(10);
        while ((zigzag & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        buffer[size++] = (byte) zigzag;
        return this;
    }

    BinaryWriter writeBytes(byte[] bytes) {
        writeVarLong(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Strict UTF-8, length-prefixed; an ASCII string (the usual case) is written in place, without a copy. */
    BinaryWriter writeString(String s, String what) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return writeBytes(Utf8.encode(s, what));
            }
        }
        writeVarLong(n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[size++] = (byte) s.charAt(i); // ASCII: one byte per char, as UTF-8 writes it
        }
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** The bytes written so far are {@code array()[0 .. size())}; the array is this writer's own. */
    byte[] array() {
        return buffer;
    }

    int size() {
        return size;
    }

    /** Forgets what was written, keeping the buffer for the next encoding. */
    void reset() {
        size = 0;
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            long wanted = Math.max((long) buffer.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("encoded value too large");
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }
}
