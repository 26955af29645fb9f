package io.kvorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HlcGeneratorTest {

    @Test
    void readsTimeOnlyFromTheInjectedClock() {
        ManualClock clock = new ManualClock(5_000);
        HlcGenerator hlc = new HlcGenerator(clock, "n1");
        assertNull(hlc.last());
        assertEquals(new HlcTimestamp(5_000, 0, "n1"), hlc.now());
        clock.advanceMillis(10);
        assertEquals(new HlcTimestamp(5_010, 0, "n1"), hlc.now());
    }

    @Test
    void staysMonotonicWhenTheClockGoesBackwards() {
        ManualClock clock = new ManualClock(5_000);
        HlcGenerator hlc = new HlcGenerator(clock, "n1");
        HlcTimestamp first = hlc.now();
        clock.setMillis(1_000);
        HlcTimestamp second = hlc.now();
        assertTrue(second.isAfter(first));
        assertEquals(new HlcTimestamp(5_000, 1, "n1"), second);
    }

    @Test
    void laterTimestampsExceedObservedRemoteOnes() {
        ManualClock clock = new ManualClock(1_000);
        HlcGenerator hlc = new HlcGenerator(clock, "a");
        HlcTimestamp remote = new HlcTimestamp(9_000, 4, "b");
        hlc.observe(remote);
        assertEquals(new HlcTimestamp(9_000, 5, "a"), hlc.last());
        assertTrue(hlc.now().isAfter(remote));
    }

    @Test
    void concurrentCallersGetDistinctIncreasingTimestamps() throws Exception {
        HlcGenerator hlc = new HlcGenerator(new ManualClock(1_000), "n1");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<HlcTimestamp>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<HlcTimestamp> mine = new ArrayList<>();
                    for (int i = 0; i < 1_000; i++) {
                        mine.add(hlc.now());
                    }
                    return mine;
                }));
            }
            TreeSet<HlcTimestamp> all = new TreeSet<>();
            for (Future<List<HlcTimestamp>> f : futures) {
                List<HlcTimestamp> mine = f.get();
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i).isAfter(mine.get(i - 1)));
                }
                all.addAll(mine);
            }
            assertEquals(4_000, all.size());
            assertEquals(new HlcTimestamp(1_000, 3_999, "n1"), all.last());
        } finally {
            pool.shutdownNow();
        }
    }
}
