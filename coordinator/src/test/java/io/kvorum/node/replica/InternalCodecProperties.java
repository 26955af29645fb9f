package io.kvorum.node.replica;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.CausalRecord;
import io.kvorum.storage.DvvSet;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Round trips for every encodable request, and for any other input an IllegalArgumentException
 * and nothing else (the internal handlers map exactly that to 400).
 */
class InternalCodecProperties {

    // ---- generators ----

    @Provide
    Arbitrary<StorageKey> keys() {
        return Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.strings().withChars("abcé._-").ofMinLength(1).ofMaxLength(10),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as(StorageKey::new);
    }

    static Arbitrary<HlcTimestamp> stamps() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.of("n1", "n2", "n3", "é")).as(HlcTimestamp::new);
    }

    static Arbitrary<Sibling> siblings() {
        Arbitrary<Sibling> live = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(30),
                Arbitraries.of("", "text/plain", "application/json; charset=utf-8"), stamps())
                .as(Sibling::of);
        return Arbitraries.oneOf(live, stamps().map(Sibling::tombstone));
    }

    static Arbitrary<VersionVector> vectors() {
        return Arbitraries.maps(Arbitraries.of("n1", "n2", "n3", "n4"), Arbitraries.longs().between(0, Long.MAX_VALUE))
                .ofMaxSize(4).map(m -> new VersionVector(new TreeMap<>(m)));
    }

    record Update(VersionVector context, Sibling value, String node) {
    }

    static Arbitrary<CausalRecord> causalRecords() {
        Arbitrary<Update> update = Combinators.combine(
                Arbitraries.maps(Arbitraries.of("n1", "n2", "n3"), Arbitraries.longs().between(0, 4)).ofMaxSize(3)
                        .map(m -> new VersionVector(new TreeMap<>(m))),
                siblings(), Arbitraries.of("n1", "n2", "n3")).as(Update::new);
        return update.list().ofMinSize(1).ofMaxSize(6).map(us -> {
            DvvSet s = DvvSet.empty();
            for (Update u : us) {
                s = s.update(u.context(), u.value(), u.node());
            }
            return new CausalRecord(s);
        });
    }

    @Provide
    Arbitrary<KeyRecord> records() {
        return Arbitraries.oneOf(causalRecords(),
                Combinators.combine(siblings(), vectors()).as(LwwRecord::new));
    }

    @Provide
    Arbitrary<VersionVector> contexts() {
        return vectors();
    }

    @Provide
    Arbitrary<Sibling> values() {
        return siblings();
    }

    // ---- round trips ----

    @Property(tries = 1000)
    void framesRoundTrip(@ForAll @Size(max = 5) List<@Size(max = 20) byte[]> parts) {
        byte[][] decoded = InternalCodec.unframe(InternalCodec.frames(parts.toArray(byte[][]::new)), parts.size());
        assertEquals(parts.size(), decoded.length);
        for (int i = 0; i < parts.size(); i++) {
            assertArrayEquals(parts.get(i), decoded[i]);
        }
    }

    @Property(tries = 1000)
    void mergeRequestsRoundTrip(@ForAll("keys") StorageKey key, @ForAll("records") KeyRecord record) {
        InternalCodec.MergeRequest m = InternalCodec.decodeMerge(InternalCodec.encodeMerge(key, record));
        assertEquals(key, m.key());
        assertEquals(record, m.record());
    }

    @Property(tries = 1000)
    void writeRequestsRoundTrip(@ForAll("keys") StorageKey key, @ForAll("contexts") VersionVector context,
                                @ForAll("values") Sibling value) {
        InternalCodec.WriteRequest w = InternalCodec.decodeWrite(InternalCodec.encodeWrite(key, context, value));
        assertEquals(key, w.key());
        assertEquals(context, w.context());
        assertEquals(value, w.value());
    }

    // ---- bad input ----

    private static void onlyIllegalArgument(byte[] body) {
        for (int kind = 0; kind < 2; kind++) {
            try {
                if (kind == 0) {
                    InternalCodec.decodeMerge(body);
                } else {
                    InternalCodec.decodeWrite(body);
                }
            } catch (IllegalArgumentException expected) {
                // a 400
            } catch (Throwable t) {
                fail((kind == 0 ? "decodeMerge" : "decodeWrite") + " of " + java.util.HexFormat.of().formatHex(body)
                        + " threw " + t, t);
            }
        }
    }

    @Property(tries = 3000)
    void randomBytesDecodeOrGiveIllegalArgument(@ForAll @Size(max = 64) byte[] body) {
        onlyIllegalArgument(body);
    }

    /** Well-framed garbage reaches the storage-key, vector and record decoders. */
    @Property(tries = 5000)
    void wellFramedGarbageDecodesOrGivesIllegalArgument(@ForAll @Size(max = 24) byte[] a,
                                                        @ForAll @Size(max = 24) byte[] b,
                                                        @ForAll @Size(max = 48) byte[] c,
                                                        @ForAll boolean three) {
        onlyIllegalArgument(three ? InternalCodec.frames(a, b, c) : InternalCodec.frames(a, c));
    }

    /**
     * Frames whose record and vector frames start with a valid format version (and record kind),
     * so the garbage after the header reaches the structural decoders instead of failing on byte 0.
     */
    @Property(tries = 10000)
    void garbageBehindValidHeadersDecodesOrGivesIllegalArgument(@ForAll @Size(max = 16) byte[] key,
                                                                @ForAll @Size(max = 16) byte[] vector,
                                                                @ForAll @Size(max = 40) byte[] record,
                                                                @ForAll @IntRange(min = 1, max = 2) int kind) {
        byte[] storageKey = new byte[6 + key.length];
        storageKey[5] = (byte) Math.min(key.length, 3);  // a short bucket inside the frame
        System.arraycopy(key, 0, storageKey, 6, key.length);
        for (int i = 0; i < Math.min(key.length, 3); i++) {
            storageKey[6 + i] &= 0x7f;                 // ASCII, so the bucket decodes
        }
        byte[] vv = new byte[1 + vector.length];
        vv[0] = 1;
        System.arraycopy(vector, 0, vv, 1, vector.length);
        byte[] rec = new byte[2 + record.length];
        rec[0] = 1;
        rec[1] = (byte) kind;
        System.arraycopy(record, 0, rec, 2, record.length);
        onlyIllegalArgument(InternalCodec.frames(storageKey, vv, rec));
        onlyIllegalArgument(InternalCodec.frames(storageKey, rec));
    }

    /** Valid bodies with one byte changed: the decoders' structure checks see near-misses. */
    @Property(tries = 5000)
    void corruptedBodiesDecodeOrGiveIllegalArgument(@ForAll("keys") StorageKey key, @ForAll("records") KeyRecord record,
                                                    @ForAll("contexts") VersionVector context,
                                                    @ForAll("values") Sibling value,
                                                    @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                    @ForAll byte replacement) {
        for (byte[] body : List.of(InternalCodec.encodeMerge(key, record),
                InternalCodec.encodeWrite(key, context, value))) {
            byte[] corrupt = body.clone();
            corrupt[position % corrupt.length] = replacement;
            onlyIllegalArgument(corrupt);
        }
    }

    @Property(tries = 1000)
    void everyStrictPrefixOfAValidBodyIsRejected(@ForAll("keys") StorageKey key, @ForAll("records") KeyRecord record,
                                                 @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] body = InternalCodec.encodeMerge(key, record);
        byte[] prefix = Arrays.copyOf(body, cut % body.length);
        assertThrows(IllegalArgumentException.class, () -> InternalCodec.decodeMerge(prefix));
    }
}
