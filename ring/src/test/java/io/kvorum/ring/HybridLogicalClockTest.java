package io.kvorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

    @Test
    void firstTimestampIsPhysicalTime() {
        assertEquals(new HlcTimestamp(1000, 0, "n1"), HybridLogicalClock.next(null, 1000, "n1"));
    }

    @Test
    void nextFollowsPhysicalTimeWhenItAdvances() {
        HlcTimestamp last = new HlcTimestamp(1000, 7, "n1");
        assertEquals(new HlcTimestamp(1001, 0, "n1"), HybridLogicalClock.next(last, 1001, "n1"));
    }

    @Test
    void nextCountsLogicallyWhenPhysicalTimeStallsOrGoesBack() {
        HlcTimestamp last = new HlcTimestamp(1000, 7, "n1");
        assertEquals(new HlcTimestamp(1000, 8, "n1"), HybridLogicalClock.next(last, 1000, "n1"));
        assertEquals(new HlcTimestamp(1000, 8, "n1"), HybridLogicalClock.next(last, 400, "n1"));
    }

    @Test
    void nextCarriesIntoTheWallWhenTheCounterIsFull() {
        HlcTimestamp last = new HlcTimestamp(1000, Integer.MAX_VALUE, "n1");
        assertEquals(new HlcTimestamp(1001, 0, "n1"), HybridLogicalClock.next(last, 1000, "n1"));
    }

    @Test
    void receiveFollowsThePaperCases() {
        HlcTimestamp last = new HlcTimestamp(1000, 3, "a");
        // remote ahead: take its wall, count past it
        assertEquals(new HlcTimestamp(2000, 6, "a"),
                HybridLogicalClock.receive(last, new HlcTimestamp(2000, 5, "b"), 1500, "a"));
        // same wall on both: count past the larger counter
        assertEquals(new HlcTimestamp(1000, 10, "a"),
                HybridLogicalClock.receive(last, new HlcTimestamp(1000, 9, "b"), 900, "a"));
        // local ahead: count past ours
        assertEquals(new HlcTimestamp(1000, 4, "a"),
                HybridLogicalClock.receive(last, new HlcTimestamp(500, 9, "b"), 900, "a"));
        // physical time ahead of both: reset the counter
        assertEquals(new HlcTimestamp(3000, 0, "a"),
                HybridLogicalClock.receive(last, new HlcTimestamp(2000, 9, "b"), 3000, "a"));
        // nothing local yet
        assertEquals(new HlcTimestamp(2000, 10, "a"),
                HybridLogicalClock.receive(null, new HlcTimestamp(2000, 9, "b"), 1000, "a"));
    }

    /** Whatever physical time does, successive timestamps strictly increase. */
    @Property
    void nextIsStrictlyMonotonicEvenWhenTheClockGoesBackwards(
            @ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 10_000) Long> physical) {
        HlcTimestamp last = null;
        for (long now : physical) {
            HlcTimestamp ts = HybridLogicalClock.next(last, now, "n1");
            assertTrue(last == null || ts.compareTo(last) > 0, ts + " after " + last);
            assertTrue(ts.wallMillis() >= now, "wall never lags physical time");
            last = ts;
        }
    }

    @Property
    void receiveIsGreaterThanBothInputs(
            @ForAll @LongRange(min = 0, max = 5000) long lastWall, @ForAll @IntRange(max = 5) int lastLogical,
            @ForAll @LongRange(min = 0, max = 5000) long remoteWall, @ForAll @IntRange(max = 5) int remoteLogical,
            @ForAll @LongRange(min = 0, max = 5000) long now, @ForAll boolean haveLast) {
        HlcTimestamp last = haveLast ? new HlcTimestamp(lastWall, lastLogical, "a") : null;
        // the remote id sorts after the local one, so only wall and counter can win
        HlcTimestamp remote = new HlcTimestamp(remoteWall, remoteLogical, "zz");
        HlcTimestamp ts = HybridLogicalClock.receive(last, remote, now, "a");
        assertTrue(ts.compareTo(remote) > 0, ts + " after remote " + remote);
        assertTrue(last == null || ts.compareTo(last) > 0, ts + " after last " + last);
        assertEquals(Math.max(Math.max(haveLast ? lastWall : 0, remoteWall), now), ts.wallMillis());
    }
}
