package io.kvorum.bench;

/**
 * The zipfian distribution over {@code items} ranks as YCSB samples it (Gray et al., "Quickly
 * generating billion-record synthetic databases", SIGMOD 1994): rank 0 is the most popular, rank i
 * has probability proportional to 1/(i+1)^theta. Immutable and shareable; the randomness comes in
 * as a uniform draw, so this class holds no generator. Computing zeta(n) costs n powers; do it once.
 */
public final class Zipfian {
    public static final double YCSB_THETA = 0.99;
    /** YCSB's ScrambledZipfianGenerator draws from this many items, then hashes onto the records. */
    static final long YCSB_SCRAMBLED_ITEMS = 10_000_000_000L;
    /** zeta(10^10, 0.99), precomputed by YCSB (ScrambledZipfianGenerator.ZETAN). */
    static final double YCSB_SCRAMBLED_ZETAN = 26.46902820178302;

    private final long items;
    private final double theta;
    private final double zetan;
    private final double alpha;
    private final double eta;
    private final double secondRankBound;

    private Zipfian(long items, double theta, double zetan) {
        if (items < 1) {
            throw new IllegalArgumentException("zipfian needs at least one item, got " + items);
        }
        if (!(theta > 0 && theta < 1)) {
            throw new IllegalArgumentException("zipfian theta must be in (0, 1), got " + theta);
        }
        this.items = items;
        this.theta = theta;
        this.zetan = zetan;
        this.alpha = 1.0 / (1.0 - theta);
        double zeta2 = zeta(2, theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetan);
        this.secondRankBound = 1.0 + Math.pow(0.5, theta);
    }

    public static Zipfian over(long items, double theta) {
        return new Zipfian(items, theta, zeta(items, theta));
    }

    /** The distribution YCSB's scrambled zipfian draws from before hashing (10^10 items, theta 0.99). */
    public static Zipfian ycsbScrambledBase() {
        return new Zipfian(YCSB_SCRAMBLED_ITEMS, YCSB_THETA, YCSB_SCRAMBLED_ZETAN);
    }

    public long items() {
        return items;
    }

    /** The rank, in [0, items), for a uniform draw {@code u} in [0, 1). */
    public long rank(double u) {
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < secondRankBound) {
            return Math.min(1, items - 1);
        }
        long r = (long) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(r, items - 1);
    }

    /** The probability of a rank, for tests and documentation: 1/(rank+1)^theta / zeta(n). */
    public double probability(long rank) {
        return 1.0 / Math.pow(rank + 1, theta) / zetan;
    }

    static double zeta(long n, double theta) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }
}
