package io.kvorum.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacerTest {

    @Test
    void unthrottledOperationsAreAlwaysDueAndStartNow() {
        Pacer pacer = Pacer.unthrottled();
        assertTrue(pacer.isDue(123));
        assertEquals(123, pacer.take(123));
        assertEquals(456, pacer.take(456));
        assertFalse(pacer.throttled());
    }

    @Test
    void atRateIntendedStartsFollowTheScheduleNotTheClock() {
        Pacer pacer = Pacer.atRate(1000, 5_000_000);
        assertFalse(pacer.isDue(4_999_999));
        assertTrue(pacer.isDue(5_000_000));
        assertEquals(5_000_000, pacer.take(5_000_000));
        assertFalse(pacer.isDue(5_500_000));
        // the client stalled for 10 ms: the next operations keep their intended starts, so their
        // latency will include the stall (no coordinated omission)
        assertTrue(pacer.isDue(15_000_000));
        assertEquals(6_000_000, pacer.take(15_000_000));
        assertEquals(7_000_000, pacer.take(15_000_000));
    }

    @Test
    void fractionalIntervalsDoNotDrift() {
        Pacer pacer = Pacer.atRate(3, 0);
        long last = 0;
        for (int i = 0; i < 3001; i++) {
            last = pacer.take(Long.MAX_VALUE);
        }
        assertEquals(1_000_000_000_000L, last, 1);
    }

    @Test
    void rateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Pacer.atRate(0, 0));
    }
}
