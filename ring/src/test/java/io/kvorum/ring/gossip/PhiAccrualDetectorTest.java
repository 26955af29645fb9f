package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.NodeStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhiAccrualDetectorTest {

    private static final FailureDetectorConfig DEFAULTS = FailureDetectorConfig.defaults();

    @Test
    void theDefaultBoundIsAbout18Point4Seconds() {
        // threshold * mean * ln(10) = 8 * 1000 * 2.302585... = 18420.68 ms
        assertEquals(18_421, PhiAccrualDetector.worstCaseDetectionMillis(DEFAULTS));
    }

    @ParameterizedTest
    @CsvSource({
            "8,   1000", "8,   1", "8,   250", "5,   1000", "12,  1000", "1,   3000", "0.5, 7", "16,  86400000", "3.3, 999",
    })
    void theBoundIsThresholdTimesMeanTimesLn10(double threshold, long interval) {
        FailureDetectorConfig c = new FailureDetectorConfig(threshold, 1000, interval, interval);
        long bound = PhiAccrualDetector.worstCaseDetectionMillis(c);
        double formula = threshold * interval * Math.log(10);
        assertTrue(bound >= formula - 1e-6 && bound < formula + 1, "bound " + bound + " vs formula " + formula);
        ArrivalWindow steady = ArrivalWindow.first(0, c);
        assertTrue(steady.phi(bound) >= threshold, "convicted at the bound");
        assertTrue(steady.phi(bound - 1) < threshold, "not a millisecond earlier");
    }

    @Test
    void aSteadyOneSecondHeartbeatCrossesEightExactlyAtTheBound() {
        PhiAccrualDetector d = PhiAccrualDetector.create(DEFAULTS);
        long t = 0;
        for (int i = 0; i < 2_000; i++) { // more beats than the window holds: the seed is long gone
            d = d.withArrival("b", t);
            t += 1000;
        }
        long last = t - 1000;
        long bound = PhiAccrualDetector.worstCaseDetectionMillis(DEFAULTS);
        assertEquals(1000.0, d.window("b").orElseThrow().mean());
        assertEquals(NodeStatus.UP, d.status("b", last + bound - 1));
        assertTrue(d.phi("b", last + bound - 1) < 8.0);
        assertTrue(d.phi("b", last + bound) >= 8.0);
        assertEquals(NodeStatus.DOWN, d.status("b", last + bound));
    }

    @Test
    void aPeerHeardOnceIsNotConvictedBeforeTheBound() {
        PhiAccrualDetector d = PhiAccrualDetector.create(DEFAULTS).withArrival("b", 10_000);
        long bound = PhiAccrualDetector.worstCaseDetectionMillis(DEFAULTS);
        assertEquals(NodeStatus.UP, d.status("b", 10_000));
        assertEquals(NodeStatus.UP, d.status("b", 10_000 + bound - 1));
        assertEquals(NodeStatus.DOWN, d.status("b", 10_000 + bound));
    }

    @Test
    void aPeerNeverHeardFromIsDownWithInfinitePhi() {
        PhiAccrualDetector d = PhiAccrualDetector.create(DEFAULTS);
        assertEquals(Double.POSITIVE_INFINITY, d.phi("ghost", 0));
        assertEquals(NodeStatus.DOWN, d.status("ghost", 0));
    }

    @Test
    void aFreshWindowForgetsTheOldRhythm() {
        PhiAccrualDetector d = PhiAccrualDetector.create(DEFAULTS)
                .withArrival("b", 0).withArrival("b", 100).withArrival("b", 200).withArrival("b", 300);
        assertTrue(d.window("b").orElseThrow().mean() < 1000);
        PhiAccrualDetector fresh = d.withFreshWindow("b", 50_000);
        assertEquals(ArrivalWindow.first(50_000, DEFAULTS), fresh.window("b").orElseThrow());
        assertSame(d, d.without("nobody"));
        assertTrue(d.without("b").window("b").isEmpty());
    }

    @Test
    void withArrivalsRecordsManyAtOnce() {
        PhiAccrualDetector d = PhiAccrualDetector.create(DEFAULTS).withArrival("a", 0).withArrival("b", 0);
        PhiAccrualDetector next = d.withArrivals(Set.of("a", "b", "c"), Set.of("b", "d"), 700);
        assertEquals(ArrivalWindow.first(700, DEFAULTS), next.window("d").orElseThrow(), "restarted only: fresh");
        assertEquals(d.window("a").orElseThrow().withArrival(700), next.window("a").orElseThrow());
        assertEquals(ArrivalWindow.first(700, DEFAULTS), next.window("b").orElseThrow(), "restarted: fresh");
        assertEquals(ArrivalWindow.first(700, DEFAULTS), next.window("c").orElseThrow(), "new: first");
        assertSame(d, d.withArrivals(Set.of(), Set.of(), 900));
    }

    @Test
    void aLowerThresholdConvictsSooner() {
        long at8 = PhiAccrualDetector.worstCaseDetectionMillis(DEFAULTS);
        long at5 = PhiAccrualDetector.worstCaseDetectionMillis(DEFAULTS.withThreshold(5));
        assertEquals(11_513, at5);
        assertTrue(at5 < at8);
    }
}
