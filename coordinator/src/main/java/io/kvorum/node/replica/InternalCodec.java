package io.kvorum.node.replica;

import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Binary bodies of the internal replica API: length-prefixed frames of the storage key, the
 * causal context and the record, in the storage codecs' own encodings.
 */
public final class InternalCodec {
    private InternalCodec() {
    }

    /** A merge request: the key and the record to merge. */
    public record MergeRequest(StorageKey key, KeyRecord record) {
    }

    /** A causal write request: the key, the client's context and the new value. */
    public record WriteRequest(StorageKey key, VersionVector context, Sibling value) {
    }

    /** A hint handed to a fallback: the primary it stands in for, the key and the record. */
    public record HintRequest(String primaryId, StorageKey key, KeyRecord record) {
    }

    public static byte[] encodeHint(String primaryId, StorageKey key, KeyRecord record) {
        return frames(primaryId.getBytes(java.nio.charset.StandardCharsets.UTF_8), key.encode(),
                RecordCodec.encode(record));
    }

    public static HintRequest decodeHint(byte[] body) {
        byte[][] p = unframe(body, 3);
        return new HintRequest(new String(p[0], java.nio.charset.StandardCharsets.UTF_8), StorageKey.decode(p[1]),
                RecordCodec.decode(p[2]));
    }

    public static byte[] frames(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    public static byte[][] unframe(byte[] body, int count) {
        try {
            ByteBuffer b = ByteBuffer.wrap(body);
            byte[][] parts = new byte[count][];
            for (int i = 0; i < count; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new IllegalArgumentException("bad frame length " + len);
                }
                parts[i] = new byte[len];
                b.get(parts[i]);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " trailing bytes");
            }
            return parts;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated body", e);
        }
    }

    public static byte[] encodeMerge(StorageKey key, KeyRecord record) {
        return frames(key.encode(), RecordCodec.encode(record));
    }

    public static MergeRequest decodeMerge(byte[] body) {
        byte[][] p = unframe(body, 2);
        return new MergeRequest(StorageKey.decode(p[0]), RecordCodec.decode(p[1]));
    }

    public static byte[] encodeWrite(StorageKey key, VersionVector context, Sibling value) {
        return frames(key.encode(), context.encode(), RecordCodec.encode(new LwwRecord(value, VersionVector.empty())));
    }

    public static WriteRequest decodeWrite(byte[] body) {
        byte[][] p = unframe(body, 3);
        KeyRecord carrier = RecordCodec.decode(p[2]);
        if (!(carrier instanceof LwwRecord lww)) {
            throw new IllegalArgumentException("the value frame must hold a single value");
        }
        return new WriteRequest(StorageKey.decode(p[0]), VersionVector.decode(p[1]), lww.value());
    }
}
