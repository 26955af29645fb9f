package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvorum.ring.HlcTimestamp;
import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The stored form of hints: round trips, and the key order that keeps a target's hints together. */
class HintCodecProperties {

    @Provide
    Arbitrary<String> targets() {
        return Generators.names();
    }

    @Provide
    Arbitrary<StorageKey> keys() {
        return Generators.storageKeys();
    }

    @Provide
    Arbitrary<KeyRecord> records() {
        return Generators.keyRecords();
    }

    @Property
    void hintsRoundTrip(@ForAll("targets") String target, @ForAll("keys") StorageKey key,
                        @ForAll("records") KeyRecord record, @ForAll long createdAt) {
        byte[] encodedKey = HintCodec.key(target, key);
        byte[] value = HintCodec.value(createdAt, record);

        assertEquals(new Hint(target, key, record, createdAt), HintCodec.decode(encodedKey, value));
        assertEquals(createdAt, HintCodec.createdAtMillis(value));
        assertEquals(target, HintCodec.target(encodedKey));
    }

    @Property
    void theOrderOfTwoTargetsDoesNotDependOnTheirKeys(@ForAll("targets") String t1, @ForAll("targets") String t2,
                                                      @ForAll("keys") StorageKey a, @ForAll("keys") StorageKey b,
                                                      @ForAll("keys") StorageKey c, @ForAll("keys") StorageKey d) {
        Assume.that(!t1.equals(t2));
        // so no key of t2 falls between two keys of t1: a target's hints are one contiguous range
        assertEquals(
                Integer.signum(Arrays.compareUnsigned(HintCodec.key(t1, a), HintCodec.key(t2, b))),
                Integer.signum(Arrays.compareUnsigned(HintCodec.key(t1, c), HintCodec.key(t2, d))));
    }

    @Property
    void withinATargetHintsSortInStorageKeyOrder(@ForAll("targets") String target, @ForAll("keys") StorageKey a,
                                                 @ForAll("keys") StorageKey b) {
        assertEquals(Integer.signum(a.compareTo(b)),
                Integer.signum(Arrays.compareUnsigned(HintCodec.key(target, a), HintCodec.key(target, b))));
    }

    @Property
    void aKeyHasATargetsPrefixOnlyIfItIsThatTargets(@ForAll("targets") String t1, @ForAll("targets") String t2,
                                                    @ForAll("keys") StorageKey key) {
        assertEquals(t1.equals(t2), HintCodec.hasPrefix(HintCodec.key(t1, key), HintCodec.targetPrefix(t2)));
    }

    @Example
    void theLayoutIsTargetLengthTargetThenStorageKey() {
        StorageKey key = new StorageKey(1, "b", new byte[] {9});
        byte[] expected = new byte[] {0, 2, 'n', '3', 0, 0, 0, 1, 0, 1, 'b', 9};
        assertArrayEquals(expected, HintCodec.key("n3", key));
        byte[] value = HintCodec.value(0x0102L, LwwRecord.of(Sibling.tombstone(new HlcTimestamp(1, 0, "n"))));
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 2}, Arrays.copyOf(value, 9));
    }

    @Example
    void malformedStoredHintsAreRejected() {
        byte[] value = HintCodec.value(5, LwwRecord.of(Sibling.tombstone(new HlcTimestamp(1, 0, "n"))));
        byte[] otherVersion = value.clone();
        otherVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> HintCodec.createdAtMillis(otherVersion));
        assertThrows(IllegalArgumentException.class, () -> HintCodec.record(Arrays.copyOf(value, 8)));
        assertThrows(IllegalArgumentException.class, () -> HintCodec.target(new byte[] {0}));
        assertThrows(IllegalArgumentException.class, () -> HintCodec.target(new byte[] {0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> HintCodec.target(new byte[] {0, 5, 'a'}));
    }
}
