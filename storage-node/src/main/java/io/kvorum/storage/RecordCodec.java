package io.kvorum.storage;

import io.kvorum.ring.HlcTimestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of a {@link KeyRecord}, as stored in MapDB and sent between replicas.
 *
 * <pre>
 * record   := version:u8(=1) kind:u8 body
 * kind 1   := causal: entries:varint { nodeId:string counter:varint values:varint { sibling } }
 * kind 2   := lww:    sibling clock:vv
 * vv       := count:varint { nodeId:string counter:varint }          (sorted, counters &gt; 0)
 * sibling  := flags:u8(bit0 = tombstone) contentType:string
 *             wallMillis:zigzag logical:varint stampNode:string value:bytes
 * string   := length:varint utf8-bytes        bytes := length:varint raw-bytes
 * </pre>
 *
 * The encoding of a record is canonical (the same state always gives the same bytes), which
 * makes {@link KeyRecord#etag()} stable. Decoding rejects unknown versions, truncated input,
 * trailing bytes and non-canonical structure with an {@link IllegalArgumentException}.
 */
public final class RecordCodec {
    public static final int FORMAT_VERSION = 1;
    private static final int KIND_CAUSAL = 1;
    private static final int KIND_LWW = 2;
    private static final int FLAG_TOMBSTONE = 1;
    private static final int SCRATCH_KEPT_BYTES = 64 * 1024;
    private static final ThreadLocal<BinaryWriter> SCRATCH = ThreadLocal.withInitial(() -> new BinaryWriter(4096));

    private RecordCodec() {
    }

    public static byte[] encode(KeyRecord record) {
        return withEncoding(record, Arrays::copyOf);
    }

    /**
     * Something computed from a record's encoding where it lies: {@code bytes[0 .. length)}, not to
     * be kept, and not to encode another record meanwhile (the scratch buffer is the thread's one).
     */
    @FunctionalInterface
    public interface EncodedBytes<T> {
        T apply(byte[] bytes, int length);
    }

    /**
     * Hands {@code f} the record's encoding (the bytes {@link #encode} answers) without copying it
     * out of this thread's scratch buffer: for hashes, which need the bytes for a moment only.
     */
    public static <T> T withEncoding(KeyRecord record, EncodedBytes<T> f) {
        BinaryWriter out = scratch(record);
        write(out, record);
        return f.apply(out.array(), out.size());
    }

    /**
     * This thread's scratch writer, emptied: one encoding buffer per thread instead of one per call
     * (an encoding then costs one exact-size copy). A buffer grown past {@link #SCRATCH_KEPT_BYTES}
     * by a large record is replaced at the thread's next encoding, so a thread holds it no longer than that.
     */
    private static BinaryWriter scratch(KeyRecord record) {
        BinaryWriter out = SCRATCH.get();
        if (out.array().length > SCRATCH_KEPT_BYTES) {
            out = new BinaryWriter(estimateSize(record));
            SCRATCH.set(out);
        }
        out.reset();
        return out;
    }

    private static void write(BinaryWriter out, KeyRecord record) {
        out.writeByte(FORMAT_VERSION);
        if (record instanceof CausalRecord causal) {
            out.writeByte(KIND_CAUSAL);
            List<DvvSet.Entry> entries = causal.dvv().entries();
            out.writeVarLong(entries.size());
            for (DvvSet.Entry e : entries) {
                out.writeString(e.nodeId(), "node id");
                out.writeVarLong(e.counter());
                out.writeVarLong(e.values().size());
                for (Sibling s : e.values()) {
                    writeSibling(out, s);
                }
            }
        } else if (record instanceof LwwRecord lww) {
            out.writeByte(KIND_LWW);
            writeSibling(out, lww.value());
            lww.clock().writeTo(out);
        } else {
            throw new IllegalArgumentException("unknown record kind: " + record);
        }
    }

    public static KeyRecord decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes, "key record");
        int version = in.readByte("format version");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown key record format version " + version
                    + " (this node reads version " + FORMAT_VERSION + ")");
        }
        int kind = in.readByte("record kind");
        KeyRecord record = switch (kind) {
            case KIND_CAUSAL -> readCausal(in);
            case KIND_LWW -> new LwwRecord(readSibling(in), VersionVector.readFrom(in));
            default -> throw in.malformed("unknown record kind " + kind);
        };
        in.requireEnd();
        return record;
    }

    private static CausalRecord readCausal(BinaryReader in) {
        int entryCount = in.readCount("entry count");
        List<DvvSet.Entry> entries = new ArrayList<>(entryCount);
        for (int i = 0; i < entryCount; i++) {
            String nodeId = in.readString("entry node id");
            long counter = in.readVarLong("entry counter");
            int valueCount = in.readCount("entry value count");
            if (valueCount > counter) {
                throw in.malformed("entry " + nodeId + " has " + valueCount + " values but counter " + counter);
            }
            List<Sibling> values = new ArrayList<>(valueCount);
            for (int v = 0; v < valueCount; v++) {
                values.add(readSibling(in));
            }
            try {
                entries.add(new DvvSet.Entry(nodeId, counter, values));
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        }
        try {
            return new CausalRecord(DvvSet.of(entries));
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    static void writeSibling(BinaryWriter out, Sibling s) {
        out.writeByte(s.tombstone() ? FLAG_TOMBSTONE : 0);
        out.writeString(s.contentType(), "content type");
        writeStamp(out, s.stamp());
        out.writeBytes(s.valueInPlace());
    }

    static Sibling readSibling(BinaryReader in) {
        int flags = in.readByte("sibling flags");
        if ((flags & ~FLAG_TOMBSTONE) != 0) {
            throw in.malformed("unknown sibling flags " + flags);
        }
        String contentType = in.readString("content type");
        HlcTimestamp stamp = readStamp(in);
        byte[] value = in.readBytes("value");
        try {
            return Sibling.owning(value, contentType, stamp, (flags & FLAG_TOMBSTONE) != 0);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    private static void writeStamp(BinaryWriter out, HlcTimestamp stamp) {
        out.writeZigZagLong(stamp.wallMillis());
        out.writeVarLong(stamp.logical());
        out.writeString(stamp.nodeId(), "stamp node id");
    }

    private static HlcTimestamp readStamp(BinaryReader in) {
        long wallMillis = in.readZigZagLong("stamp wall millis");
        int logical = in.readVarInt("stamp logical", Integer.MAX_VALUE);
        String nodeId = in.readString("stamp node id");
        return new HlcTimestamp(wallMillis, logical, nodeId);
    }

    private static int estimateSize(KeyRecord record) {
        long size = 16;
        for (Sibling s : record.siblings()) {
            size += 48 + s.valueLength() + s.contentType().length() + s.stamp().nodeId().length();
        }
        return (int) Math.min(size, 1 << 20);
    }
}
