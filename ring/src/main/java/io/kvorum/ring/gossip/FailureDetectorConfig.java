package io.kvorum.ring.gossip;

/**
 * Settings of the phi-accrual failure detector, validated on construction.
 *
 * @param threshold              phi at or above which a peer is considered DOWN (Cassandra's
 *                               {@code phi_convict_threshold}, default 8); finite, &gt; 0
 * @param windowSize             how many inter-arrival intervals each peer's window keeps
 *                               (default 1000, as Cassandra); 1..1,000,000
 * @param expectedIntervalMillis the heartbeat interval expected before any has been measured;
 *                               seeds a fresh window so a new peer is not convicted at once
 *                               (default 1000, the gossip interval); &ge; 1
 * @param maxIntervalMillis      gaps between arrivals longer than this are not recorded, so an
 *                               outage does not teach the detector to be slower (Cassandra's
 *                               {@code MAX_INTERVAL}, which defaults to its initial value of two
 *                               gossip intervals; default 2000); &ge; {@code expectedIntervalMillis},
 *                               at most one day
 */
public record FailureDetectorConfig(double threshold, int windowSize, long expectedIntervalMillis, long maxIntervalMillis) {

    public static final double DEFAULT_THRESHOLD = 8.0;
    public static final int DEFAULT_WINDOW_SIZE = 1000;
    public static final long DEFAULT_EXPECTED_INTERVAL_MILLIS = 1000;
    public static final long DEFAULT_MAX_INTERVAL_MILLIS = 2 * DEFAULT_EXPECTED_INTERVAL_MILLIS;
    /** The largest window and interval accepted; keeps a window's sum of intervals far from overflow. */
    public static final int WINDOW_SIZE_LIMIT = 1_000_000;
    public static final long INTERVAL_LIMIT_MILLIS = 86_400_000L;

    public FailureDetectorConfig {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("failure detector threshold must be a finite number > 0: " + threshold);
        }
        if (windowSize < 1 || windowSize > WINDOW_SIZE_LIMIT) {
            throw new IllegalArgumentException("failure detector windowSize must be in 1.." + WINDOW_SIZE_LIMIT + ": " + windowSize);
        }
        if (expectedIntervalMillis < 1) {
            throw new IllegalArgumentException("failure detector expectedIntervalMillis must be >= 1: " + expectedIntervalMillis);
        }
        if (maxIntervalMillis > INTERVAL_LIMIT_MILLIS) {
            throw new IllegalArgumentException("failure detector maxIntervalMillis must be <= " + INTERVAL_LIMIT_MILLIS
                    + " (one day): " + maxIntervalMillis);
        }
        if (maxIntervalMillis < expectedIntervalMillis) {
            throw new IllegalArgumentException("failure detector maxIntervalMillis (" + maxIntervalMillis
                    + ") must be >= expectedIntervalMillis (" + expectedIntervalMillis + ")");
        }
    }

    /** Threshold 8, 1000 samples, 1000 ms expected interval, 2000 ms max interval. */
    public static FailureDetectorConfig defaults() {
        return new FailureDetectorConfig(DEFAULT_THRESHOLD, DEFAULT_WINDOW_SIZE,
                DEFAULT_EXPECTED_INTERVAL_MILLIS, DEFAULT_MAX_INTERVAL_MILLIS);
    }

    public FailureDetectorConfig withThreshold(double threshold) {
        return new FailureDetectorConfig(threshold, windowSize, expectedIntervalMillis, maxIntervalMillis);
    }

    public FailureDetectorConfig withWindowSize(int windowSize) {
        return new FailureDetectorConfig(threshold, windowSize, expectedIntervalMillis, maxIntervalMillis);
    }

    public FailureDetectorConfig withExpectedIntervalMillis(long expectedIntervalMillis) {
        return new FailureDetectorConfig(threshold, windowSize, expectedIntervalMillis, maxIntervalMillis);
    }

    public FailureDetectorConfig withMaxIntervalMillis(long maxIntervalMillis) {
        return new FailureDetectorConfig(threshold, windowSize, expectedIntervalMillis, maxIntervalMillis);
    }
}
