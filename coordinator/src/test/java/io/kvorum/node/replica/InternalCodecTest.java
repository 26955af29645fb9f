package io.kvorum.node.replica;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.CausalRecord;
import io.kvorum.storage.DvvSet;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InternalCodecTest {
    private static final StorageKey KEY = new StorageKey(17, "users", "alice".getBytes(StandardCharsets.UTF_8));
    private static final HlcTimestamp T1 = new HlcTimestamp(1_700_000_000_000L, 0, "n1");
    private static final HlcTimestamp T2 = new HlcTimestamp(1_700_000_000_001L, 3, "n2");

    private static Sibling value(String text, HlcTimestamp stamp) {
        return new Sibling(text.getBytes(StandardCharsets.UTF_8), "text/plain", stamp, false);
    }

    private static CausalRecord twoSiblings() {
        DvvSet a = DvvSet.empty().update(VersionVector.empty(), value("a", T1), "n1");
        DvvSet b = DvvSet.empty().update(VersionVector.empty(), value("b", T2), "n2");
        return new CausalRecord(a.sync(b));
    }

    @Test
    void framesAreBigEndianLengthPrefixed() {
        assertArrayEquals(HexFormat.of().parseHex("00000002" + "6869" + "00000000" + "00000001" + "ff"),
                InternalCodec.frames("hi".getBytes(StandardCharsets.US_ASCII), new byte[0], new byte[]{(byte) 0xff}));
    }

    @Test
    void unframeReturnsTheParts() {
        byte[][] parts = InternalCodec.unframe(HexFormat.of().parseHex("00000002686900000000"), 2);
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), parts[0]);
        assertArrayEquals(new byte[0], parts[1]);
    }

    /** Bodies in hex, the number of frames expected: each is truncated, overlong or malformed. */
    @ParameterizedTest(name = "{0} as {1} frames")
    @CsvSource({
            "'',                   1",     // empty body
            "000000,               1",     // truncated length
            "00000002,             1",     // length without data
            "0000000268,           1",     // data shorter than the length
            "00000002686900,       1",     // trailing byte
            "0000000268690000,     2",     // second length truncated
            "000000026869,         2",     // second frame missing
            "ffffffff,             1",     // negative length
            "80000000,             1",
            "7fffffff00,           1",     // length far past the end
            "0000000268690000000000000000, 2", // a third frame where two are expected
    })
    void unframeRejectsBadBodiesWithIllegalArgument(String hex, int count) {
        assertThrows(IllegalArgumentException.class, () -> InternalCodec.unframe(HexFormat.of().parseHex(hex), count));
    }

    @Test
    void aCausalMergeRequestRoundTrips() {
        CausalRecord record = twoSiblings();
        InternalCodec.MergeRequest m = InternalCodec.decodeMerge(InternalCodec.encodeMerge(KEY, record));
        assertEquals(KEY, m.key());
        assertEquals(record, m.record());
    }

    @Test
    void anLwwMergeRequestWithATombstoneRoundTrips() {
        KeyRecord record = new LwwRecord(Sibling.tombstone(T2), VersionVector.of(Map.of("n1", 3L, "n2", 1L)));
        InternalCodec.MergeRequest m = InternalCodec.decodeMerge(InternalCodec.encodeMerge(KEY, record));
        assertEquals(KEY, m.key());
        assertEquals(record, m.record());
    }

    @Test
    void aWriteRequestRoundTrips() {
        VersionVector context = VersionVector.of(Map.of("n1", 4L, "n3", 2L));
        Sibling v = new Sibling(new byte[]{0, 1, (byte) 0xff}, "application/octet-stream", T2, false);
        InternalCodec.WriteRequest w = InternalCodec.decodeWrite(InternalCodec.encodeWrite(KEY, context, v));
        assertEquals(KEY, w.key());
        assertEquals(context, w.context());
        assertEquals(v, w.value());
    }

    @Test
    void aWriteRequestWithAnEmptyContextAndAnEmptyKeyRoundTrips() {
        StorageKey key = new StorageKey(0, "b", new byte[0]);
        InternalCodec.WriteRequest w = InternalCodec.decodeWrite(
                InternalCodec.encodeWrite(key, VersionVector.empty(), Sibling.tombstone(T1)));
        assertEquals(key, w.key());
        assertEquals(VersionVector.empty(), w.context());
        assertEquals(Sibling.tombstone(T1), w.value());
    }

    @Test
    void aWriteWhoseValueFrameHoldsSiblingsIsRejected() {
        byte[] merge = InternalCodec.encodeMerge(KEY, twoSiblings());
        byte[][] parts = InternalCodec.unframe(merge, 2);
        byte[] body = InternalCodec.frames(parts[0], VersionVector.empty().encode(), parts[1]);
        assertThrows(IllegalArgumentException.class, () -> InternalCodec.decodeWrite(body));
    }

    @Test
    void aMergeBodyIsNotAWriteBodyAndViceVersa() {
        byte[] merge = InternalCodec.encodeMerge(KEY, twoSiblings());
        byte[] write = InternalCodec.encodeWrite(KEY, VersionVector.empty(), value("x", T1));
        assertThrows(IllegalArgumentException.class, () -> InternalCodec.decodeWrite(merge));
        assertThrows(IllegalArgumentException.class, () -> InternalCodec.decodeMerge(write));
    }

    @Test
    void everyTruncationOfAValidBodyIsRejected() {
        byte[] merge = InternalCodec.encodeMerge(KEY, twoSiblings());
        for (int len = 0; len < merge.length; len++) {
            byte[] cut = Arrays.copyOf(merge, len);
            assertThrows(IllegalArgumentException.class, () -> InternalCodec.decodeMerge(cut), "length " + len);
        }
        byte[] write = InternalCodec.encodeWrite(KEY, VersionVector.of(Map.of("n1", 1L)), value("x", T1));
        for (int len = 0; len < write.length; len++) {
            byte[] cut = Arrays.copyOf(write, len);
            assertThrows(IllegalArgumentException.class, () -> InternalCodec.decodeWrite(cut), "length " + len);
        }
    }

    @Test
    void trailingBytesAfterAValidBodyAreRejected() {
        byte[] merge = InternalCodec.encodeMerge(KEY, twoSiblings());
        byte[] longer = Arrays.copyOf(merge, merge.length + 1);
        assertThrows(IllegalArgumentException.class, () -> InternalCodec.decodeMerge(longer));
    }
}
