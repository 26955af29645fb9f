package io.kvorum.bench;

import java.util.random.RandomGenerator;

/** The key choosers of each {@link Distribution}. */
final class KeyChoosers {
    private KeyChoosers() {
    }

    /** Every record equally likely. */
    static KeyChooser uniform(long records, RandomGenerator random) {
        requirePositive(records);
        return () -> random.nextLong(records);
    }

    /** Plain zipfian: record 0 is the hottest, record 1 the next, and so on. */
    static KeyChooser zipfian(Zipfian zipfian, RandomGenerator random) {
        return () -> zipfian.rank(random.nextDouble());
    }

    /**
     * YCSB's scrambled zipfian (its default for {@code requestdistribution=zipfian}): a rank drawn
     * from zipfian(10^10, 0.99), then FNV-1a-hashed onto the records, so the hot records are spread
     * over the key space instead of being records 0, 1, 2...
     */
    static KeyChooser scrambledZipfian(Zipfian base, long records, RandomGenerator random) {
        requirePositive(records);
        return () -> fnv1a64(base.rank(random.nextDouble())) % records;
    }

    /** YCSB's {@code Utils.fnvhash64}: FNV-1a over the 8 bytes of the value, low byte first; non-negative. */
    static long fnv1a64(long value) {
        long hash = 0xCBF29CE484222325L;
        long v = value;
        for (int i = 0; i < 8; i++) {
            hash ^= v & 0xff;
            hash *= 1099511628211L;
            v >>= 8;
        }
        return Math.abs(hash) == Long.MIN_VALUE ? 0 : Math.abs(hash);
    }

    private static void requirePositive(long records) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, got " + records);
        }
    }
}
