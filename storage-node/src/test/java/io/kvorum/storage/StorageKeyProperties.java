package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class StorageKeyProperties {

    @Provide
    Arbitrary<StorageKey> keys() {
        return Generators.storageKeys();
    }

    @Property
    void roundTrips(@ForAll("keys") StorageKey key) {
        StorageKey decoded = StorageKey.decode(key.encode());
        assertEquals(key, decoded);
        assertEquals(key.hashCode(), decoded.hashCode());
    }

    @Property
    void encodedOrderSortsByPartitionFirst(@ForAll("keys") StorageKey a, @ForAll("keys") StorageKey b) {
        int byBytes = Integer.signum(Arrays.compareUnsigned(a.encode(), b.encode()));
        if (a.partition() != b.partition()) {
            assertEquals(Integer.signum(Integer.compare(a.partition(), b.partition())), byBytes);
        }
        assertEquals(byBytes, Integer.signum(a.compareTo(b)));
    }

    @Property
    void aPartitionAndABucketAreContiguousRanges(@ForAll("keys") StorageKey a, @ForAll("keys") StorageKey b,
                                                 @ForAll("keys") StorageKey c) {
        StorageKey[] sorted = {a, b, c};
        Arrays.sort(sorted);
        if (sorted[0].partition() == sorted[2].partition()) {
            assertEquals(sorted[0].partition(), sorted[1].partition());
            if (sorted[0].bucket().equals(sorted[2].bucket())) {
                assertEquals(sorted[0].bucket(), sorted[1].bucket());
            }
        }
    }

    @Property
    void everyKeyOfAPartitionStartsWithItsPrefix(@ForAll("keys") StorageKey key) {
        byte[] prefix = StorageKey.partitionPrefix(key.partition());
        assertTrue(Arrays.equals(prefix, Arrays.copyOf(key.encode(), 4)));
    }

    @Property
    void truncatedKeysAreRejected(@ForAll("keys") StorageKey key) {
        byte[] encoded = key.encode();
        int headerAndBucket = 6 + key.bucket().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        for (int length = 0; length < headerAndBucket; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            assertThrows(IllegalArgumentException.class, () -> StorageKey.decode(prefix));
        }
    }

    @Property
    void garbageFailsOnlyWithIllegalArgument(@ForAll("garbage") byte[] garbage) {
        try {
            StorageKey.decode(garbage);
        } catch (IllegalArgumentException expected) {
            // the only acceptable failure
        }
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(32);
    }
}
