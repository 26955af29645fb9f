package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArrivalWindowTest {

    private static final double LOG10_E = Math.log10(Math.E);

    @Test
    void aFreshWindowIsSeededWithTheExpectedInterval() {
        ArrivalWindow w = ArrivalWindow.first(5_000, 1000);
        assertEquals(5_000, w.lastArrivalMillis());
        assertArrayEquals(new long[] {1000}, w.intervals());
        assertEquals(1000.0, w.mean());
        assertEquals(FailureDetectorConfig.DEFAULT_WINDOW_SIZE, w.capacity());
        assertEquals(2000, w.maxIntervalMillis());
        assertEquals(0.0, w.phi(5_000), "a peer just heard from is not suspected at all");
    }

    @Test
    void phiIsTheExponentialApproximation() {
        ArrivalWindow w = ArrivalWindow.first(0, 1000).withArrival(1000).withArrival(2000).withArrival(3000);
        assertEquals(1000.0, w.mean());
        assertEquals(1.0 * LOG10_E, w.phi(4_000), 1e-12);
        assertEquals(10.0 * LOG10_E, w.phi(13_000), 1e-12);
    }

    @Test
    void phiGrowsWithSilence() {
        ArrivalWindow w = ArrivalWindow.first(0, 1000).withArrival(1000);
        double previous = w.phi(1000);
        assertEquals(0.0, previous);
        for (long t = 1_100; t <= 60_000; t += 100) {
            double phi = w.phi(t);
            assertTrue(phi > previous, "phi must grow: " + previous + " then " + phi + " at " + t);
            previous = phi;
        }
        assertTrue(previous > 25, "a minute of silence at a 1 s rhythm is damning: " + previous);
    }

    @Test
    void phiResetsAfterAnArrival() {
        ArrivalWindow w = ArrivalWindow.first(0, 1000).withArrival(1000).withArrival(2000);
        assertTrue(w.phi(3_900) > 0.8, "1.9 s of silence at a 1 s rhythm");
        ArrivalWindow after = w.withArrival(3_900);
        assertEquals(0.0, after.phi(3_900));
        assertEquals(1225.0, after.mean(), 1e-12);
        assertEquals(100 * LOG10_E / 1000, after.phi(4_000), 1e-12, "a mean above the expected interval counts as it");
        assertTrue(w.phi(3_900) > 0.8, "the old window is unchanged");
    }

    @Test
    void theMeanFollowsTheRecordedIntervals() {
        ArrivalWindow w = ArrivalWindow.first(0, 1000).withArrival(500).withArrival(1_700);
        assertArrayEquals(new long[] {1000, 500, 1200}, w.intervals());
        assertEquals(900.0, w.mean(), 1e-12);
    }

    @Test
    void theWindowKeepsOnlyTheMostRecentIntervals() {
        FailureDetectorConfig config = FailureDetectorConfig.defaults().withWindowSize(3);
        ArrivalWindow w = ArrivalWindow.first(0, config);
        long t = 0;
        for (long interval : new long[] {100, 200, 300, 400}) {
            t += interval;
            w = w.withArrival(t);
        }
        assertEquals(3, w.size());
        assertArrayEquals(new long[] {200, 300, 400}, w.intervals(), "the seed and the oldest interval are pushed out");
        assertEquals(300.0, w.mean(), 1e-12);
    }

    @Test
    void gapsLongerThanTheMaximumAreNotRecordedButStillResetPhi() {
        ArrivalWindow w = ArrivalWindow.first(0, 1000).withArrival(1000);
        ArrivalWindow afterOutage = w.withArrival(61_000);
        assertArrayEquals(w.intervals(), afterOutage.intervals(), "a 60 s outage must not slow down the next detection");
        assertEquals(61_000, afterOutage.lastArrivalMillis());
        assertEquals(0.0, afterOutage.phi(61_000));
        ArrivalWindow atMax = w.withArrival(3_000);
        assertArrayEquals(new long[] {1000, 1000, 2000}, atMax.intervals(), "exactly the maximum is recorded");
    }

    @Test
    void newsOfSeveralBeatsIsRecordedAsThatManyEqualShares() {
        ArrivalWindow w = ArrivalWindow.first(0, 1000).withArrival(1000);
        ArrivalWindow three = w.withBeats(3_800, 3);
        assertArrayEquals(new long[] {1000, 1000, 933, 933, 934}, three.intervals(), "2,800 ms in three beats, adding up");
        assertEquals(3_800, three.lastArrivalMillis());
        assertEquals(w.withArrival(1_900), w.withBeats(1_900, 1), "one beat is an ordinary arrival");
        // a gap too long for one beat is an outage and is not recorded, but split over its beats it is a rhythm
        assertArrayEquals(w.intervals(), w.withBeats(3_500, 1).intervals());
        assertArrayEquals(new long[] {1000, 1000, 1250, 1250}, w.withBeats(3_500, 2).intervals());
        // a counter far ahead of the time that passed: never shares under a quarter interval
        assertArrayEquals(new long[] {1000, 1000, 2}, w.withBeats(1_002, 50).intervals());
        assertArrayEquals(new long[] {1000, 1000, 250, 250, 250, 250}, w.withBeats(2_000, 91).intervals());
        assertThrows(IllegalArgumentException.class, () -> w.withBeats(2_000, 0));
    }

    @Test
    void moreBeatsThanTheWindowHoldsFillItWithTheNewestShares() {
        ArrivalWindow w = ArrivalWindow.first(0, FailureDetectorConfig.defaults().withWindowSize(3)).withArrival(500);
        ArrivalWindow after = w.withBeats(500 + 5 * 1000 + 2, 5);
        assertArrayEquals(new long[] {1000, 1001, 1001}, after.intervals(), "the last two of five shares carry the remainder");
        assertEquals(1000 + 1001 + 1001, after.mean() * after.size(), 1e-9);
    }

    @Test
    void phiNeverUsesAMeanAboveTheExpectedInterval() {
        ArrivalWindow slow = ArrivalWindow.first(0, 1000).withArrival(1_900).withArrival(3_800).withArrival(5_700);
        assertEquals((1000 + 3 * 1900) / 4.0, slow.mean(), 1e-12, "the mean itself is what was heard");
        long bound = PhiAccrualDetector.worstCaseDetectionMillis(FailureDetectorConfig.defaults());
        assertTrue(slow.phi(5_700 + bound) >= FailureDetectorConfig.DEFAULT_THRESHOLD,
                "a peer heard slowly is still convicted at the bound");
        ArrivalWindow fast = ArrivalWindow.first(0, 1000).withArrival(500).withArrival(1_000).withArrival(1_500);
        assertEquals(ArrivalWindow.phi(2_000, fast.mean()), fast.phi(3_500), 1e-12, "below it, the mean heard counts");
    }

    @Test
    void sameMillisecondOrEarlierArrivalsTeachNothing() {
        ArrivalWindow w = ArrivalWindow.first(0, 1000).withArrival(1000);
        assertSame(w, w.withArrival(1000));
        assertSame(w, w.withArrival(400));
        assertEquals(0.0, w.phi(999), "phi is 0 before the last arrival");
    }

    @Test
    void windowsAreValuesComparedByContent() {
        ArrivalWindow a = ArrivalWindow.first(0, 1000).withArrival(900);
        ArrivalWindow b = ArrivalWindow.first(0, 1000).withArrival(900);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.withArrival(1_800));
        long[] copy = a.intervals();
        copy[0] = 1;
        assertEquals(1000, a.intervals()[0], "intervals() is a copy");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, FailureDetectorConfig.INTERVAL_LIMIT_MILLIS + 1})
    void rejectsAnExpectedIntervalOutOfRange(long expected) {
        assertThrows(IllegalArgumentException.class, () -> ArrivalWindow.first(0, expected));
    }

    @Test
    void aShortExpectedIntervalGetsAMaxIntervalOfTwice() {
        assertEquals(200, ArrivalWindow.first(0, 100).maxIntervalMillis());
        assertEquals(FailureDetectorConfig.INTERVAL_LIMIT_MILLIS,
                ArrivalWindow.first(0, FailureDetectorConfig.INTERVAL_LIMIT_MILLIS).maxIntervalMillis());
    }
}
