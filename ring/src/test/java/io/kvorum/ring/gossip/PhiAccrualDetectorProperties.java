package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.NodeStatus;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class PhiAccrualDetectorProperties {

    private static final FailureDetectorConfig DEFAULTS = FailureDetectorConfig.defaults();

    /**
     * Heartbeats relayed by gossip arrive irregularly: any interval from a burst (a few ms) to
     * three rounds, with a mean around a second. Checked just before every arrival, over an
     * hour of beats, the peer is never suspected at the default threshold.
     */
    @Property(tries = 50)
    void irregularButSteadyHeartbeatsDoNotConvict(@ForAll long seed, @ForAll @IntRange(min = 0, max = 900) int jitter) {
        Random random = new Random(seed);
        PhiAccrualDetector d = PhiAccrualDetector.create(DEFAULTS).withArrival("b", 0);
        long t = 0;
        double worst = 0;
        for (int i = 0; i < 3_600; i++) {
            // mostly 1000 +- jitter, sometimes a burst, sometimes a missed round or two
            int roll = random.nextInt(20);
            long interval = roll == 0 ? 1 + random.nextInt(50)
                    : roll == 1 ? 2_000 + random.nextInt(1_001)
                    : 1000 - jitter + random.nextInt(2 * jitter + 1);
            t += interval;
            worst = Math.max(worst, d.phi("b", t - 1));
            assertEquals(NodeStatus.UP, d.status("b", t - 1), "convicted a live peer at beat " + i + " (seed " + seed + ")");
            d = d.withArrival("b", t);
        }
        assertTrue(worst > 0, "phi moved at all");
        // and the same detector still convicts a real silence at the documented order of magnitude
        assertEquals(NodeStatus.DOWN, d.status("b", t + 3 * PhiAccrualDetector.worstCaseDetectionMillis(DEFAULTS)));
    }

    /** For any steady rhythm, conviction comes exactly at worstCaseDetectionMillis after the last beat. */
    @Property(tries = 200)
    void steadyHeartbeatsAreConvictedExactlyAtTheBound(
            @ForAll @LongRange(min = 1, max = 60_000) long interval,
            @ForAll @IntRange(min = 1, max = 40) int beats,
            @ForAll @IntRange(min = 1, max = 20) int threshold) {
        FailureDetectorConfig c = DEFAULTS.withMaxIntervalMillis(60_000).withExpectedIntervalMillis(interval)
                .withThreshold(threshold);
        PhiAccrualDetector d = PhiAccrualDetector.create(c);
        long t = 0;
        for (int i = 0; i < beats; i++) {
            d = d.withArrival("b", t);
            t += interval;
        }
        long last = t - interval;
        long bound = PhiAccrualDetector.worstCaseDetectionMillis(c);
        assertEquals(NodeStatus.UP, d.status("b", last + bound - 1));
        assertEquals(NodeStatus.DOWN, d.status("b", last + bound));
    }

    /**
     * Whatever rhythm a peer was heard at (gaps from 1 ms to three times the maximum, news of one
     * to five beats at once), it is DOWN once silent for worstCaseDetectionMillis: the bound the
     * operations guide gives holds for every history, not only a steady one.
     */
    @Property(tries = 300)
    void everyHistoryIsConvictedWithinTheBound(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int arrivals,
                                               @ForAll @IntRange(min = 1, max = 12) int threshold) {
        Random random = new Random(seed);
        FailureDetectorConfig c = DEFAULTS.withThreshold(threshold);
        PhiAccrualDetector d = PhiAccrualDetector.create(c).withArrival("b", 0);
        long t = 0;
        for (int i = 0; i < arrivals; i++) {
            t += 1 + random.nextInt(3 * (int) c.maxIntervalMillis());
            d = d.withBeats(java.util.Map.of("b", 1L + random.nextInt(5)), java.util.Set.of(), t);
        }
        long bound = PhiAccrualDetector.worstCaseDetectionMillis(c);
        assertEquals(NodeStatus.DOWN, d.status("b", t + bound), "mean " + d.window("b").orElseThrow().mean());
    }

    /** phi never decreases with silence and is zero right after any arrival. */
    @Property
    void phiIsMonotoneInSilenceAndResetByArrivals(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100) int beats) {
        Random random = new Random(seed);
        ArrivalWindow w = ArrivalWindow.first(0, 1000);
        long t = 0;
        for (int i = 0; i < beats; i++) {
            t += 1 + random.nextInt(3_000);
            long a = t - random.nextInt(3_000);
            long b = a + random.nextInt(3_000);
            assertTrue(w.phi(a) <= w.phi(b));
            w = w.withArrival(t);
            assertEquals(0.0, w.phi(t));
        }
    }
}
