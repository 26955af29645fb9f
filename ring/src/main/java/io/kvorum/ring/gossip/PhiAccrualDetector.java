package io.kvorum.ring.gossip;

import io.kvorum.ring.NodeStatus;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The phi-accrual failure detector (Hayashibara, Défago, Yared, Katayama, "The φ Accrual Failure
 * Detector", SRDS 2004) as Cassandra implements it: an immutable map from peer id to its
 * {@link ArrivalWindow}. Pure: arrivals and queries take {@code now}; nothing reads a clock.
 *
 * <p><b>Which distribution.</b> phi is {@code -log10(P(the next heartbeat is later than now))}
 * under a model of the inter-arrival times. Akka models them as a normal distribution, which
 * convicts quickly on a metronome-steady link but needs two more knobs (a minimum standard
 * deviation and an acceptable heartbeat pause) to avoid convicting when the intervals are
 * irregular: with a small measured deviation, one late heartbeat sends phi to infinity. Here
 * heartbeats arrive through gossip, relayed by random peers, so the intervals <em>are</em>
 * irregular: bursts of relayed beats, then a gap until a peer happens to talk to us. We use
 * Cassandra's exponential approximation (CASSANDRA-2597): {@code P(later than t) = e^(-t/mean)},
 * so {@code phi = (now - last) / mean * log10(e)}. It depends on the mean alone, so jitter does
 * not convict; it has one knob, the threshold, calibrated by Cassandra's default of 8 for this
 * exact formula; and its detection time has a closed form, {@link #worstCaseDetectionMillis}:
 * {@code threshold * mean * ln(10)}, about 18.4 s for a steady 1 s heartbeat at threshold 8, and
 * never more, as the mean is capped at the expected interval.
 * The price is slower detection than a tuned normal model; lower the threshold to go faster
 * (5 gives about 11.5 s), at the cost of more false suspicions.
 *
 * @param config  the detector settings
 * @param windows the arrival history of each peer heard from, by id
 */
public record PhiAccrualDetector(FailureDetectorConfig config, Map<String, ArrivalWindow> windows) {

    public PhiAccrualDetector {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(windows, "windows");
        windows = Collections.unmodifiableMap(new TreeMap<>(windows));
        if (windows.containsValue(null)) {
            throw new IllegalArgumentException("null arrival window in " + windows.keySet());
        }
    }

    /** A detector that has heard from nobody. */
    public static PhiAccrualDetector create(FailureDetectorConfig config) {
        return new PhiAccrualDetector(config, Map.of());
    }

    /**
     * The detector after a heartbeat of {@code id} arrived at {@code nowMillis}; the first
     * heartbeat of a peer starts its window seeded with the expected interval.
     */
    public PhiAccrualDetector withArrival(String id, long nowMillis) {
        Objects.requireNonNull(id, "id");
        ArrivalWindow window = windows.get(id);
        return with(id, window == null ? ArrivalWindow.first(nowMillis, config) : window.withArrival(nowMillis));
    }

    /**
     * The detector with the history of {@code id} forgotten and restarted by an arrival at
     * {@code nowMillis}: for a peer that restarted (new generation), whose old rhythm says
     * nothing about the new process.
     */
    public PhiAccrualDetector withFreshWindow(String id, long nowMillis) {
        Objects.requireNonNull(id, "id");
        return with(id, ArrivalWindow.first(nowMillis, config));
    }

    /**
     * The detector after heartbeats of every id in {@code arrived} arrived at {@code nowMillis},
     * one beat each; see {@link #withBeats}.
     */
    public PhiAccrualDetector withArrivals(Set<String> arrived, Set<String> restarted, long nowMillis) {
        Objects.requireNonNull(arrived, "arrived");
        Map<String, Long> beats = new TreeMap<>();
        arrived.forEach(id -> beats.put(Objects.requireNonNull(id, "id"), 1L));
        return withBeats(beats, restarted, nowMillis);
    }

    /**
     * The detector after news arrived at {@code nowMillis} that each id in {@code beats} beat
     * that many times since its last arrival (see {@link ArrivalWindow#withBeats}), those in
     * {@code restarted} with a fresh window (see {@link #withFreshWindow}); one copy of the map
     * however many arrived, for a gossip message that advances many members at once.
     */
    public PhiAccrualDetector withBeats(Map<String, Long> beats, Set<String> restarted, long nowMillis) {
        Objects.requireNonNull(beats, "beats");
        Objects.requireNonNull(restarted, "restarted");
        if (beats.isEmpty() && restarted.isEmpty()) {
            return this;
        }
        Map<String, ArrivalWindow> next = new TreeMap<>(windows);
        beats.forEach((id, count) -> {
            ArrivalWindow window = next.get(Objects.requireNonNull(id, "id"));
            next.put(id, window == null ? ArrivalWindow.first(nowMillis, config) : window.withBeats(nowMillis, count));
        });
        for (String id : restarted) { // after the arrivals: a restart replaces whatever they recorded
            next.put(Objects.requireNonNull(id, "id"), ArrivalWindow.first(nowMillis, config));
        }
        return new PhiAccrualDetector(config, next);
    }

    /** The detector without any history of {@code id}. */
    public PhiAccrualDetector without(String id) {
        if (!windows.containsKey(id)) {
            return this;
        }
        Map<String, ArrivalWindow> next = new TreeMap<>(windows);
        next.remove(id);
        return new PhiAccrualDetector(config, next);
    }

    /** The window of {@code id}, if it was ever heard from. */
    public Optional<ArrivalWindow> window(String id) {
        return Optional.ofNullable(windows.get(id));
    }

    /** phi of {@code id} at {@code nowMillis}; {@link Double#POSITIVE_INFINITY} if never heard from. */
    public double phi(String id, long nowMillis) {
        ArrivalWindow window = windows.get(id);
        return window == null ? Double.POSITIVE_INFINITY : window.phi(nowMillis);
    }

    /** DOWN when phi is at or above the threshold (so also when never heard from), UP otherwise. */
    public NodeStatus status(String id, long nowMillis) {
        return phi(id, nowMillis) >= config.threshold() ? NodeStatus.DOWN : NodeStatus.UP;
    }

    /**
     * The longest a peer stays UP after its last heartbeat arrived: the smallest whole number of
     * milliseconds {@code t} with {@code phi(t) >= threshold} for a window whose mean is the
     * expected interval, i.e. {@code ceil(threshold * expectedIntervalMillis * ln(10))}. At the
     * defaults (threshold 8, 1 s) that is 18,421 ms. It bounds every peer, because phi never
     * takes a mean above the expected interval (see {@link ArrivalWindow}); a peer heard more
     * often than expected is convicted sooner. The time to notice is this plus however often the
     * caller evaluates liveness.
     */
    public static long worstCaseDetectionMillis(FailureDetectorConfig c) {
        Objects.requireNonNull(c, "config");
        double mean = c.expectedIntervalMillis();
        double estimate = Math.ceil(c.threshold() * mean * Math.log(10.0));
        if (estimate >= Long.MAX_VALUE / 2) {
            return Long.MAX_VALUE; // never, in practice
        }
        long t = (long) estimate;
        // Settle floating-point rounding against the exact expression ArrivalWindow.phi uses.
        while (t > 1 && ArrivalWindow.phi(t - 1, mean) >= c.threshold()) {
            t--;
        }
        while (ArrivalWindow.phi(t, mean) < c.threshold()) {
            t++;
        }
        return t;
    }

    private PhiAccrualDetector with(String id, ArrivalWindow window) {
        Map<String, ArrivalWindow> next = new TreeMap<>(windows);
        next.put(id, window);
        return new PhiAccrualDetector(config, next);
    }
}
