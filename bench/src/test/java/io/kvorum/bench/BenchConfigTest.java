package io.kvorum.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchConfigTest {

    @Test
    void defaultsAreValidAndRunForThirtySeconds() {
        BenchConfig c = BenchConfig.defaults();
        assertEquals(30.0, c.durationSeconds());
        assertTrue(c.hasRunPhase());
    }

    @Test
    void durationAndOperationCountAreExclusive() {
        BenchConfig c = BenchConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> c.withRun(10.0, 100L, 0));
        assertThrows(IllegalArgumentException.class, () -> c.withRun(null, null, 0));
    }

    @Test
    void zeroOperationsMeansLoadOnly() {
        assertFalse(BenchConfig.defaults().withRun(null, 0L, 0).hasRunPhase());
    }

    @Test
    void threadsNeverExceedRequestsInFlight() {
        assertEquals(2, BenchConfig.defaults().withConcurrency(2, 8).threads());
    }

    @Test
    void blankConsistencyMeansTheBucketDefault() {
        BenchConfig c = new BenchConfig(List.of(new Endpoint("h", 1)), "b", Conflict.LWW, Workload.named("A"),
                Distribution.UNIFORM, 1, 0, 1, 1, 1.0, null, 0, " ", "", 0, false, 1, 1);
        assertNull(c.readConsistency());
        assertNull(c.writeConsistency());
    }

    @Test
    void rejectsBadBucketNamesAndEmptyNodeLists() {
        BenchConfig c = BenchConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> c.withNodes(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BenchConfig(c.nodes(), "bad$name", c.conflict(),
                c.workload(), c.distribution(), 1, 1, 1, 1, 1.0, null, 0, null, null, 0, false, 1, 1));
    }
}
