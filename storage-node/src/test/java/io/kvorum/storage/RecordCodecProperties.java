package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvorum.ring.HlcTimestamp;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RecordCodecProperties {

    @Provide
    Arbitrary<KeyRecord> records() {
        return Generators.keyRecords();
    }

    @Provide
    Arbitrary<CausalRecord> causal() {
        return Generators.causalRecords();
    }

    @Provide
    Arbitrary<LwwRecord> lww() {
        return Generators.lwwRecords();
    }

    @Property
    void causalRecordsRoundTrip(@ForAll("causal") CausalRecord record) {
        assertEquals(record, RecordCodec.decode(RecordCodec.encode(record)));
    }

    @Property
    void lwwRecordsRoundTrip(@ForAll("lww") LwwRecord record) {
        assertEquals(record, RecordCodec.decode(RecordCodec.encode(record)));
    }

    @Property
    void encodingIsCanonicalSoEtagsAreStable(@ForAll("records") KeyRecord record) {
        byte[] encoded = RecordCodec.encode(record);
        KeyRecord decoded = RecordCodec.decode(encoded);
        assertArrayEquals(encoded, RecordCodec.encode(decoded));
        assertEquals(record.etag(), decoded.etag());
        assertEquals(RecordCodec.FORMAT_VERSION, encoded[0]);
    }

    /** One scratch buffer per thread: no encoding may carry bytes of the one before, large or small. */
    @Property(tries = 200)
    void encodingsInARowAreEachTheirOwn(@ForAll("records") KeyRecord first, @ForAll("records") KeyRecord second,
                                        @ForAll boolean firstLarge) {
        KeyRecord before = firstLarge
                ? LwwRecord.of(Sibling.of(new byte[100_000], "application/octet-stream", new HlcTimestamp(1, 0, "n1")))
                : first;
        byte[] alone = RecordCodec.encode(second);
        RecordCodec.encode(before);
        assertArrayEquals(alone, RecordCodec.encode(second));
        assertArrayEquals(alone, RecordCodec.withEncoding(second, Arrays::copyOf));
        assertEquals(second, RecordCodec.decode(RecordCodec.encode(second)));
    }

    @Property
    void everyTruncationIsRejected(@ForAll("records") KeyRecord record) {
        byte[] encoded = RecordCodec.encode(record);
        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(prefix), () -> "prefix " + prefix.length);
        }
    }

    @Property
    void trailingBytesAreRejected(@ForAll("records") KeyRecord record, @ForAll byte extra) {
        byte[] encoded = RecordCodec.encode(record);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        longer[encoded.length] = extra;
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(longer));
    }

    @Property
    void corruptedRecordsFailOnlyWithIllegalArgument(@ForAll("records") KeyRecord record,
                                                     @ForAll int position, @ForAll byte xor) {
        byte[] encoded = RecordCodec.encode(record);
        encoded[Math.floorMod(position, encoded.length)] ^= xor;
        try {
            RecordCodec.decode(encoded); // may still be a valid record
        } catch (IllegalArgumentException expected) {
            // the only acceptable failure
        }
    }

    @Property
    void randomBytesFailOnlyWithIllegalArgument(@ForAll("garbage") byte[] garbage) {
        try {
            RecordCodec.decode(garbage);
        } catch (IllegalArgumentException expected) {
            // the only acceptable failure
        }
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> plausible = any.map(b -> {
            byte[] withHeader = new byte[b.length + 2];
            withHeader[0] = 1;
            withHeader[1] = (byte) (b.length % 3);
            System.arraycopy(b, 0, withHeader, 2, b.length);
            return withHeader;
        });
        return Arbitraries.oneOf(any, plausible);
    }
}
