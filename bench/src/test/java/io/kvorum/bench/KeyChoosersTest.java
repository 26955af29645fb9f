package io.kvorum.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyChoosersTest {

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void everyDistributionStaysInsideTheRecords(Distribution distribution) {
        KeyChooser keys = distribution.factory(500).create(new SplittableRandom(3));
        for (int i = 0; i < 50_000; i++) {
            long k = keys.next();
            assertTrue(k >= 0 && k < 500, distribution + " gave " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void theSameSeedGivesTheSameKeys(Distribution distribution) {
        Distribution.ChooserFactory factory = distribution.factory(10_000);
        KeyChooser a = factory.create(new SplittableRandom(99));
        KeyChooser b = factory.create(new SplittableRandom(99));
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.next(), b.next());
        }
    }

    @Test
    void uniformTouchesEveryRecordEvenly() {
        KeyChooser keys = KeyChoosers.uniform(10, new SplittableRandom(5));
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[(int) keys.next()]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 500);
        }
    }

    @Test
    void fnvHashMatchesYcsbUtilsFnvhash64() {
        assertEquals(6284781860667377211L, KeyChoosers.fnv1a64(0));
        assertEquals(8517097267634966620L, KeyChoosers.fnv1a64(1));
    }

    @Test
    void scrambledZipfianHasOneHotKeyThatIsNotKeyZero() {
        KeyChooser keys = Distribution.ZIPFIAN.factory(100_000).create(new SplittableRandom(11));
        Map<Long, Integer> counts = new HashMap<>();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts.merge(keys.next(), 1, Integer::sum);
        }
        Map.Entry<Long, Integer> hottest = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        assertEquals(KeyChoosers.fnv1a64(0) % 100_000, hottest.getKey());
        // rank 0 of zipfian(10^10, 0.99) has probability 1/26.469 = 3.8%
        assertEquals(0.0378, hottest.getValue() / (double) n, 0.004);
    }
}
