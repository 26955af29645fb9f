package io.kvorum.node.replica;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchLaneTest {
    private static BatchLane<Integer> lane(int inFlight, int maxOps, long maxBytes) {
        return new BatchLane<>(inFlight, maxOps, maxBytes, size -> size);
    }

    @Test
    void anIdleLaneSendsAMessageAtOnceAndAlone() {
        BatchLane<Integer> lane = lane(2, 64, 1000);
        assertEquals(List.of(1), lane.offer(1));
        assertEquals(List.of(2), lane.offer(2));
        assertEquals(2, lane.inFlight());
    }

    @Test
    void messagesOfferedWhileTheLaneIsFullLeaveTogetherWhenABatchReturns() {
        BatchLane<Integer> lane = lane(1, 64, 1000);
        assertEquals(List.of(10), lane.offer(10));
        assertEquals(List.of(), lane.offer(20));
        assertEquals(List.of(), lane.offer(30));
        assertEquals(2, lane.waiting());
        assertEquals(List.of(20, 30), lane.done());
        assertEquals(1, lane.inFlight());
        assertEquals(List.of(), lane.done());
        assertEquals(0, lane.inFlight());
    }

    @Test
    void aBatchStopsAtMaxOpsAndAtMaxBytesButALargeMessageStillLeavesAlone() {
        BatchLane<Integer> lane = lane(1, 3, 100);
        lane.offer(1);
        for (int size : new int[] {10, 10, 10, 10, 60, 50, 500, 5}) {
            lane.offer(size);
        }
        assertEquals(List.of(10, 10, 10), lane.done());      // maxOps
        assertEquals(List.of(10, 60), lane.done());          // 10 + 60 + 50 > 100
        assertEquals(List.of(50), lane.done());              // 50 + 500 > 100
        assertEquals(List.of(500), lane.done());             // larger than maxBytes: alone
        assertEquals(List.of(5), lane.done());
        assertEquals(List.of(), lane.done());
    }

    @Test
    void addedMessagesWaitForTheFlushAndLeaveTogether() {
        BatchLane<Integer> lane = lane(2, 64, 1000);
        assertTrue(lane.add(1), "the first message on an idle lane asks for a flush");
        assertFalse(lane.add(2), "one flush is pending already");
        assertFalse(lane.add(3));
        assertEquals(0, lane.inFlight());
        assertEquals(List.of(1, 2, 3), lane.flush());
        assertEquals(List.of(), lane.flush());
        assertEquals(1, lane.inFlight());
        assertFalse(lane.flushPending());
    }

    @Test
    void aFlushFillsTheLaneWithAsManyBatchesAsItHasRoomFor() {
        BatchLane<Integer> lane = lane(2, 2, 1000);
        assertTrue(lane.add(1));
        for (int i = 2; i <= 7; i++) {
            assertFalse(lane.add(i));
        }
        assertEquals(List.of(1, 2), lane.flush());
        assertEquals(List.of(3, 4), lane.flush());
        assertEquals(List.of(), lane.flush(), "the lane is full: the rest wait for a batch to come back");
        assertEquals(List.of(5, 6), lane.done());
        assertEquals(List.of(7), lane.done());
        assertEquals(List.of(), lane.done());
    }

    @Test
    void aFullLaneNeedsNoFlushItsReturningBatchesCarryTheAddedMessages() {
        BatchLane<Integer> lane = lane(1, 64, 1000);
        assertEquals(List.of(1), lane.offer(1));
        assertFalse(lane.add(2), "the lane is full");
        assertFalse(lane.add(3));
        assertFalse(lane.flushPending());
        assertEquals(List.of(2, 3), lane.done());
    }

    @Test
    void doneWithoutABatchInFlightIsABug() {
        assertThrows(IllegalStateException.class, () -> lane(1, 1, 1).done());
        assertThrows(IllegalArgumentException.class, () -> lane(0, 1, 1));
    }

    /**
     * Whatever the order of offers, adds, flushes and returns: every message is sent exactly once,
     * in the order offered or added, never more than maxInFlight batches are out, and nothing waits
     * on a lane with room unless a flush is pending.
     */
    @Property(tries = 500)
    void everyMessageLeavesOnceInOrderWithinTheLimits(@ForAll @IntRange(min = 1, max = 4) int maxInFlight,
                                                      @ForAll @IntRange(min = 1, max = 8) int maxOps,
                                                      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 4) Integer> steps) {
        BatchLane<Integer> lane = lane(maxInFlight, maxOps, Long.MAX_VALUE);
        Deque<List<Integer>> out = new ArrayDeque<>();
        List<Integer> sent = new ArrayList<>();
        int next = 0;
        boolean flushArranged = false;
        for (int step : steps) {
            List<List<Integer>> batches = new ArrayList<>();
            if (step == 0 && !out.isEmpty()) {
                out.poll();
                batches.add(lane.done());
            } else if (step == 1) {
                batches.add(lane.offer(next++));
            } else if (step == 2 || !flushArranged) {
                boolean arrange = lane.add(next++);
                assertTrue(!arrange || !flushArranged, "two flushes arranged at once");
                flushArranged |= arrange;
            } else {
                flushArranged = false;
                for (List<Integer> b = lane.flush(); !b.isEmpty(); b = lane.flush()) {
                    batches.add(b);
                }
            }
            for (List<Integer> batch : batches) {
                if (!batch.isEmpty()) {
                    assertTrue(batch.size() <= maxOps);
                    out.add(batch);
                    sent.addAll(batch);
                }
            }
            assertEquals(flushArranged, lane.flushPending());
            assertEquals(out.size(), lane.inFlight());
            assertTrue(lane.inFlight() <= maxInFlight);
            assertTrue(lane.waiting() == 0 || lane.inFlight() == maxInFlight || lane.flushPending(),
                    "a message waits on a lane with room and no flush pending");
        }
        for (List<Integer> b = lane.flush(); !b.isEmpty(); b = lane.flush()) {
            out.add(b);
            sent.addAll(b);
        }
        while (!out.isEmpty()) {
            out.poll();
            List<Integer> batch = lane.done();
            if (!batch.isEmpty()) {
                out.add(batch);
                sent.addAll(batch);
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < next; i++) {
            expected.add(i);
        }
        assertEquals(expected, sent);
    }
}
