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
 * News of several beats at once is recorded as that many intervals ({@link #withBeats}).
 *
 * <p>{@link #phi(long)} is Cassandra's exponential approximation; see {@link PhiAccrualDetector}.
 * Unlike Cassandra, it never uses a mean above the expected interval: a peer whose beats reached
 * us slowly (a slow start, late timers on a busy machine, beats relayed late) is not given longer
 * to be declared dead, so {@link PhiAccrualDetector#worstCaseDetectionMillis} is a real bound on
 * how long a silent peer stays UP. A peer heard faster than expected is convicted sooner.
 */
public final class ArrivalWindow {

    /** {@code log10(e) = 1 / ln(10)}: phi = -log10(P(no arrival for t)) = t / mean * log10(e). */
    static final double PHI_FACTOR = 1.0 / Math.log(10.0);

    private final long lastArrivalMillis;
    private final long[] intervals; // oldest first, length <= capacity
    private final long sum;
    private final int capacity;
    private final long maxIntervalMillis;
    private final long expectedIntervalMillis;

    private ArrivalWindow(long lastArrivalMillis, long[] intervals, long sum, int capacity, long maxIntervalMillis,
                          long expectedIntervalMillis) {
        this.lastArrivalMillis = lastArrivalMillis;
        this.intervals = intervals;
        this.sum = sum;
        this.capacity = capacity;
        this.maxIntervalMillis = maxIntervalMillis;
        this.expectedIntervalMillis = expectedIntervalMillis;
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
        return new ArrivalWindow(nowMillis, new long[] {seed}, seed, config.windowSize(), config.maxIntervalMillis(), seed);
    }

    /** This window after a heartbeat arrived at {@code nowMillis}. */
    public ArrivalWindow withArrival(long nowMillis) {
        return withBeats(nowMillis, 1);
    }

    /**
     * This window after news arrived at {@code nowMillis} that the peer beat {@code beats} times
     * since the last arrival (its heartbeat counter advanced by that much). Gossip relays beats
     * late and sometimes several at once; the peer still beat once per interval, so the gap is
     * recorded as {@code beats} equal shares and the mean follows the peer's own rhythm rather
     * than the relay's. There are never more shares than fit a quarter of the expected interval
     * each (a gap too short for that is one interval), nor more than {@code capacity}. A gap
     * whose share is longer than {@code maxIntervalMillis} is not recorded, as for a single beat.
     *
     * @throws IllegalArgumentException if {@code beats < 1}
     */
    public ArrivalWindow withBeats(long nowMillis, long beats) {
        if (beats < 1) {
            throw new IllegalArgumentException("beats must be >= 1: " + beats);
        }
        if (nowMillis <= lastArrivalMillis) {
            return this; // same millisecond or time went backwards: nothing new to learn
        }
        long gap = nowMillis - lastArrivalMillis;
        if (gap < 0) { // the subtraction overflowed
            return new ArrivalWindow(nowMillis, intervals, sum, capacity, maxIntervalMillis, expectedIntervalMillis);
        }
        // never shares shorter than a quarter of the expected interval: a counter that jumped far
        // ahead (a peer that re-claimed its version) must not collapse the mean to milliseconds
        long shares = Math.min(beats, Math.max(1, gap / Math.max(1, expectedIntervalMillis / 4)));
        long share = gap / shares;
        long longer = gap % shares; // that many shares are 1 ms longer, so that the shares add up to the gap
        if (share + (longer > 0 ? 1 : 0) > maxIntervalMillis) {
            return new ArrivalWindow(nowMillis, intervals, sum, capacity, maxIntervalMillis, expectedIntervalMillis);
        }
        int added = (int) Math.min(shares, capacity);
        int kept = Math.min(intervals.length, capacity - added);
        long[] next = new long[kept + added];
        System.arraycopy(intervals, intervals.length - kept, next, 0, kept);
        long nextSum = 0;
        for (int i = 0; i < kept; i++) {
            nextSum += next[i];
        }
        long skipped = shares - added; // shares beyond the capacity: the oldest of them never enter the window
        for (int i = 0; i < added; i++) {
            next[kept + i] = share + (skipped + i >= shares - longer ? 1 : 0);
            nextSum += next[kept + i];
        }
        return new ArrivalWindow(nowMillis, next, nextSum, capacity, maxIntervalMillis, expectedIntervalMillis);
    }

    /**
     * The suspicion that the peer is down, given no heartbeat since {@link #lastArrivalMillis()}:
     * {@code (now - last) / min(mean, expected interval) * log10(e)}; {@code 0} at or before the
     * last arrival.
     */
    public double phi(long nowMillis) {
        return phi(nowMillis - lastArrivalMillis, Math.min(mean(), expectedIntervalMillis));
    }

    /** phi after {@code silenceMillis} without a heartbeat, for intervals of mean {@code meanMillis}. */
    static double phi(long silenceMillis, double meanMillis) {
        return silenceMillis <= 0 ? 0.0 : silenceMillis / meanMillis * PHI_FACTOR;
    }

    /** The mean of the recorded intervals, ms; always &ge; 1. */
    public double mean() {
        return (double) sum / intervals.length;
    }

    /** The interval the peer should beat at, the seed of the window and the most {@link #phi} takes as mean. */
    public long expectedIntervalMillis() {
        return expectedIntervalMillis;
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
                && expectedIntervalMillis == w.expectedIntervalMillis
                && Arrays.equals(intervals, w.intervals);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastArrivalMillis, capacity, maxIntervalMillis, expectedIntervalMillis, Arrays.hashCode(intervals));
    }

    @Override
    public String toString() {
        return "ArrivalWindow[last=" + lastArrivalMillis + ", size=" + intervals.length + "/" + capacity
                + ", mean=" + mean() + ", maxInterval=" + maxIntervalMillis + ", expectedInterval=" + expectedIntervalMillis + "]";
    }
}
