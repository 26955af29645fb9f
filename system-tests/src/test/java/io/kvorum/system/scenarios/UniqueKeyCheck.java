package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.history.Checker;
import io.kvorum.system.history.FinalRead;
import io.kvorum.system.history.UniqueKeyReport;
import io.kvorum.system.nemesis.ScenarioContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a unique-key scenario, once the faults are over: wait until every node sees every
 * other UP and every node's pending hints have drained, then read every written key at
 * {@code ALL} and check the history against what was read.
 */
final class UniqueKeyCheck {
    private static final int READERS = 4;

    /**
     * @param report        the checker's verdict
     * @param hintsDrained  from all nodes seeing each other UP to no pending hint anywhere
     * @param pendingBefore each node's pending hints (all targets) when the wait for the drain began
     */
    record Result(UniqueKeyReport report, Duration hintsDrained, Map<String, Long> pendingBefore) {
    }

    private UniqueKeyCheck() {
    }

    static Result settleAndCheck(ScenarioContext ctx, List<NodeProcess> nodes, String bucket) throws Exception {
        NodeAdmin.awaitAllSeeAllUp(ctx, nodes, ScenarioNodes.STATUS_CHANGE);
        Map<String, Long> pending = NodeAdmin.pendingHints(ctx, nodes);
        ctx.history().note("scenario", "all UP; pending hints " + pending);
        Duration drained = NodeAdmin.awaitHintsDrained(ctx, nodes, ScenarioNodes.HINT_DRAIN);
        ctx.history().note("scenario", "hints drained after " + drained.toMillis() + " ms; final reads at ALL");
        List<String> keys = FinalReads.writtenKeys(ctx.history().operations());
        Map<String, FinalRead> reads = FinalReads.read(ctx.workload(), nodes, bucket, keys, "ALL", READERS);
        UniqueKeyReport report = Checker.uniqueKeyWrites(ctx.history().operations(), reads);
        return new Result(report, drained, pending);
    }

    /** No acknowledged write lost, nothing unexpected, no certainly-failed write visible, every key read. */
    static void assertClean(UniqueKeyReport r) {
        assertEquals(0, r.lost().size(), "acknowledged writes lost: " + r.summary());
        assertEquals(0, r.unexpected().size(), "values nobody wrote: " + r.summary());
        assertEquals(0, r.failedButPresent().size(), "writes the client saw fail are visible: " + r.summary());
        assertEquals(0, r.unread().size(), "keys the final read could not read at ALL: " + r.summary());
        assertTrue(r.valid(), r.summary());
    }
}
