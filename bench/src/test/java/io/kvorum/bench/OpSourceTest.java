package io.kvorum.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class OpSourceTest {

    @Test
    void loadSourcesShareTheCursorAndInsertEveryRecordOnce() {
        AtomicLong cursor = new AtomicLong();
        OpSource a = OpSource.load(cursor, 5);
        OpSource b = OpSource.load(cursor, 5);
        Set<Long> keys = new HashSet<>();
        OpSource.Op op;
        int turn = 0;
        while ((op = (turn++ % 2 == 0 ? a : b).next(0)) != null) {
            assertEquals(Operation.INSERT, op.operation());
            keys.add(op.key());
        }
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), keys);
        assertNull(a.next(0));
    }

    @Test
    void timedSourceEndsAtTheDeadline() {
        OpSource s = OpSource.timed(Workload.named("C"), () -> 7, new SplittableRandom(1), 1000);
        assertEquals(new OpSource.Op(Operation.READ, 7), s.next(999));
        assertNull(s.next(1000));
    }

    @Test
    void countedSourceSpendsTheBudgetOnlyAfterTheWarmup() {
        AtomicLong budget = new AtomicLong(2);
        OpSource s = OpSource.counted(Workload.named("W"), () -> 1, new SplittableRandom(1), 100, budget);
        for (int i = 0; i < 10; i++) {
            assertNotNull(s.next(50), "warm-up operations are free");
        }
        assertNotNull(s.next(100));
        assertNotNull(s.next(101));
        assertNull(s.next(102));
    }
}
