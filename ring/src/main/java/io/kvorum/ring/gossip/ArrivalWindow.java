package io.kvorum.ring.gossip;

import java.util.Arrays;
import java.util.Objects;

/**
 * The heartbeat history of one peer, as this node observed it: the time of the last arrival
 * and a bounded window of the most recent inter-arrival intervals (ms). Immutable; every
 * {@link #withArrival(long)} returns a new window (copying at most {@code capacity} longs).
 *
 * <p>Like Cassandra's {@code ArrivalWindow}: the window starts with one sample, the expected
 * interval, so that a peer just heard of has a finite mean and is not convicted at once; that
 * seed is diluted as real intervals arrive and drops out once the window is full. Intervals
 * longer than {@code maxIntervalMillis} are not recorded (a long outage should not make the
 * detector slower to convict the next time), and neither are non-positive ones (two arrivals
 * in the same millisecond, or time going backwards), which would only shrink the mean.
 *
 * <p>{@link #phi(long)} is Cassandra's exponential approximation; see {@link PhiAccrualDetector}.
 */
public final class ArrivalWindow {

    /** {@code log10(e) = 1 / ln(10)}: phi = -log10(P(no arrival for t)) = t / mean * log10(e). */
    static final double PHI_FACTOR = 1.0 / Math.log(10.0);

    private final long lastArrivalMillis;
    private final long[] intervals; // oldest first, length <= capacity
    private final long sum;
    private final int capacity;
    private final long maxIntervalMillis;

    private ArrivalWindow(long lastArrivalMillis, long[] intervals, long sum, int capacity, long maxIntervalMillis) {
        this.lastArrivalMillis = lastArrivalMillis;
        this.intervals = intervals;
        this.sum = sum;
        this.capacity = capacity;
        this.maxIntervalMillis = maxIntervalMillis;
    }

    /**
     * A window whose first heartbeat arrived at {@code nowMillis}, seeded with one interval of
     * {@code expectedIntervalMillis}; keeps {@link FailureDetectorConfig#DEFAULT_WINDOW_SIZE}
     * samples and ignores gaps longer than twice the expected interval (Cassandra's defaults).
     */
    public static ArrivalWindow first(long nowMillis, long expectedIntervalMillis) {
        if (expectedIntervalMillis < 1 || expectedIntervalMillis > FailureDetectorConfig.INTERVAL_LIMIT_MILLIS) {
            throw new IllegalArgumentException("expectedIntervalMillis must be in 1.."
                    + FailureDetectorConfig.INTERVAL_LIMIT_MILLIS + ": " + expectedIntervalMillis);
        }
        long maxInterval = Math.min(2 * expectedIntervalMillis, FailureDetectorConfig.INTERVAL_LIMIT_MILLIS);
        return first(nowMillis, new FailureDetectorConfig(FailureDetectorConfig.DEFAULT_THRESHOLD,
                FailureDetectorConfig.DEFAULT_WINDOW_SIZE, expectedIntervalMillis, maxInterval));
    }

    /** A window whose first heartbeat arrived at {@code nowMillis}, sized and seeded by {@code config}. */
    public static ArrivalWindow first(long nowMillis, FailureDetectorConfig config) {
        Objects.requireNonNull(config, "config");
        long seed = config.expectedIntervalMillis();
        return new ArrivalWindow(nowMillis, new long[] {seed}, seed, config.windowSize(), config.maxIntervalMillis());
    }

    /** This window after a heartbeat arrived at {@code nowMillis}. */
    public ArrivalWindow withArrival(long nowMillis) {
        if (nowMillis <= lastArrivalMillis) {
            return this; // same millisecond or time went backwards: nothing new to learn
        }
        long interval = nowMillis - lastArrivalMillis;
        if (interval < 0 || interval > maxIntervalMillis) { // < 0 only if the subtraction overflowed
            return new ArrivalWindow(nowMillis, intervals, sum, capacity, maxIntervalMillis);
        }
        long[] next;
        long nextSum;
        if (intervals.length < capacity) {
            next = Arrays.copyOf(intervals, intervals.length + 1);
            nextSum = sum + interval;
        } else {
            next = new long[capacity];
            System.arraycopy(intervals, 1, next, 0, capacity - 1);
            nextSum = sum - intervals[0] + interval;
        }
        next[next.length - 1] = interval;
        return new ArrivalWindow(nowMillis, next, nextSum, capacity, maxIntervalMillis);
    }

    /**
     * The suspicion that the peer is down, given no heartbeat since {@link #lastArrivalMillis()}:
     * {@code (now - last) / mean * log10(e)}; {@code 0} at or before the last arrival.
     */
    public double phi(long nowMillis) {
        return phi(nowMillis - lastArrivalMillis, mean());
    }

    /** phi after {@code silenceMillis} without a heartbeat, for intervals of mean {@code meanMillis}. */
    static double phi(long silenceMillis, double meanMillis) {
        return silenceMillis <= 0 ? 0.0 : silenceMillis / meanMillis * PHI_FACTOR;
    }

    /** The mean of the recorded intervals, ms; always &ge; 1. */
    public double mean() {
        return (double) sum / intervals.length;
    }

    /** When the last heartbeat arrived. */
    public long lastArrivalMillis() {
        return lastArrivalMillis;
    }

    /** How many intervals the window holds (including the seed until it is pushed out). */
    public int size() {
        return intervals.length;
    }

    /** The most intervals the window keeps. */
    public int capacity() {
        return capacity;
    }

    /** Gaps longer than this are not recorded. */
    public long maxIntervalMillis() {
        return maxIntervalMillis;
    }

    /** The recorded intervals, oldest first (a copy). */
    public long[] intervals() {
        return intervals.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrivalWindow w
                && lastArrivalMillis == w.lastArrivalMillis
                && capacity == w.capacity
                && maxIntervalMillis == w.maxIntervalMillis
                && Arrays.equals(intervals, w.intervals);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastArrivalMillis, capacity, maxIntervalMillis, Arrays.hashCode(intervals));
    }

    @Override
    public String toString() {
        return "ArrivalWindow[last=" + lastArrivalMillis + ", size=" + intervals.length + "/" + capacity
                + ", mean=" + mean() + ", maxInterval=" + maxIntervalMillis + "]";
    }
}
