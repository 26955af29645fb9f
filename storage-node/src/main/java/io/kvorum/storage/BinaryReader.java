package io.kvorum.storage;

import java.util.Arrays;

/**
 * The reading side of {@link BinaryWriter}. Every malformation (truncation, overlong varints,
 * lengths past the end, invalid UTF-8, trailing bytes) is reported as an
 * {@link IllegalArgumentException} naming what was being read; nothing else escapes, and no
 * length read from the input can make it allocate more than the input's own size.
 */
final class BinaryReader {
    private final byte[] data;
    private final String what;
    private int position;

    BinaryReader(byte[] data, String what) {
        if (data == null) {
            throw new IllegalArgumentException(what + ": input is null");
        }
        this.data = data;
        this.what = what;
    }

    int remaining() {
        return data.length - position;
    }

    int readByte(String field) {
        if (position >= data.length) {
            throw truncated(field);
        }
        return data[position++] & 0xFF;
    }

    long readVarLong(String field) {
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = readByte(field);
            long bits = b & 0x7FL;
            if (shift == 56 && (b & 0x80) != 0) {
                throw malformed(field + " is an overlong varint");
            }
            result |= bits << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    throw malformed(field + " is out of range");
                }
                return result;
            }
        }
        throw malformed(field + " is an overlong varint");
    }

    long readZigZagLong(String field) {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte(field);
            if (shift == 63 && (b & 0xFE) != 0) {
                throw malformed(field + " is an overlong varint");
            }
            result |= (b & 0x7FL) << shift;
            if ((b & 0x80) == 0) {
                return (result >>> 1) ^ -(result & 1);
            }
        }
        throw malformed(field + " is an overlong varint");
    }

    int readVarInt(String field, int max) {
        long value = readVarLong(field);
        if (value > max) {
            throw malformed(field + " is " + value + ", more than the maximum " + max);
        }
        return (int) value;
    }

    /** A count of items that each take at least one byte: bounded by the bytes left. */
    int readCount(String field) {
        return readVarInt(field, remaining());
    }

    byte[] readBytes(String field) {
        int length = readLength(field);
        byte[] bytes = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return bytes;
    }

    String readString(String field) {
        int length = readLength(field);
        String s = Utf8.decode(data, position, length, what + ": " + field);
        position += length;
        return s;
    }

    void requireEnd() {
        if (position != data.length) {
            throw malformed((data.length - position) + " unexpected trailing bytes");
        }
    }

    IllegalArgumentException malformed(String message) {
        return new IllegalArgumentException("malformed " + what + " at byte " + position + ": " + message);
    }

    private int readLength(String field) {
        long length = readVarLong(field + " length");
        if (length > remaining()) {
            throw new IllegalArgumentException("truncated " + what + ": " + field + " needs " + length
                    + " bytes at byte " + position + " but only " + remaining() + " remain");
        }
        return (int) length;
    }

    private IllegalArgumentException truncated(String field) {
        return new IllegalArgumentException("truncated " + what + ": input ended at byte " + position
                + " while reading " + field);
    }
}
