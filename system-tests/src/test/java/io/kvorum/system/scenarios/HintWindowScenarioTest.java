package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.history.Outcome;
import io.kvorum.system.nemesis.Nemesis;
import io.kvorum.system.nemesis.Scenario;
import io.kvorum.system.nemesis.ScenarioContext;
import io.kvorum.system.nemesis.WorkloadClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario f, the hint window: with {@code hintWindowMillis} short, a write made while a replica
 * has been DOWN (in its coordinator's view) for less than the window is hinted for it; a write made
 * once the window has passed is not, and the drop is counted ({@code skippedPastWindow} in
 * {@code /admin/cluster}, {@code kvorum_hints_dropped_target_total{reason="past_window"}} and
 * {@code kvorum_hints_dropped_total} in {@code /metrics}).
 */
class HintWindowScenarioTest {
    private static final String BUCKET = "window";
    /** Short, yet long enough for the control write to be made within it on a loaded machine. */
    private static final long WINDOW_MS = 5000;

    @Test
    @Scenario(deadlineSeconds = 90)
    void aWriteAfterTheHintWindowOfADownReplicaIsNotHintedAndTheDropIsCounted(ScenarioContext ctx)
            throws Exception {
        SystemCluster cluster = ScenarioNodes.start(ctx, 3,
                ScenarioNodes.fastDetectionWith("hintWindowMillis=" + WINDOW_MS));
        List<NodeProcess> all = ScenarioNodes.nodes(cluster, 3);
        NodeProcess a = all.get(0);
        NodeProcess c = all.get(2);
        Nemesis nemesis = ctx.nemesis(all);
        WorkloadClient kv = ctx.workload();
        assertEquals(WINDOW_MS, NodeAdmin.cluster(ctx.client(), a).windowMillis(), "the node runs with the short window");

        long killedAt = System.currentTimeMillis();
        nemesis.kill(c);
        await(a.id() + " to see " + c.id() + " DOWN").atMost(ctx.deadline().atMost(ScenarioNodes.STATUS_CHANGE))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> "DOWN".equals(NodeAdmin.cluster(ctx.client(), a).member(c.id()).status()));
        long downSince = NodeAdmin.cluster(ctx.client(), a).member(c.id()).sinceMillis();

        WorkloadClient.Written control = kv.writeWithReply("control", a, BUCKET, "within-window", "v1", "QUORUM", 5000);
        long controlAnsweredAt = System.currentTimeMillis();
        assertEquals(Outcome.OK, control.outcome(), "the write within the window: " + control.reply());
        assertTrue(controlAnsweredAt < downSince + WINDOW_MS, "the control write was answered "
                + (controlAnsweredAt - downSince) + " ms after " + a.id() + " saw " + c.id() + " DOWN, past the "
                + WINDOW_MS + " ms window: the machine is too slow for this window, the control proves nothing");
        Receipt withinWindow = Receipt.parse(control.reply().header("X-Kvorum-Quorum"));
        assertEquals(1, withinWindow.hinted(), "a write within the window is hinted for the down replica: "
                + withinWindow);
        assertEquals(1, NodeAdmin.cluster(ctx.client(), a).member(c.id()).pendingHints(), "the control's hint is held");

        Map<String, String> pastWindowLabels = Map.of("target", c.id(), "reason", "past_window");
        long skippedBefore = NodeAdmin.cluster(ctx.client(), a).skippedPastWindow();
        long storedBefore = NodeAdmin.cluster(ctx.client(), a).hintsStored();
        double droppedTargetBefore = NodeAdmin.metric(ctx.client(), a, "kvorum_hints_dropped_target_total",
                pastWindowLabels);
        double droppedBefore = NodeAdmin.metric(ctx.client(), a, "kvorum_hints_dropped_total", Map.of());
        await("the hint window to pass since " + a.id() + " saw " + c.id() + " DOWN")
                .atMost(Duration.ofMillis(WINDOW_MS + 5000)).pollInterval(Duration.ofMillis(50))
                .until(() -> System.currentTimeMillis() > downSince + WINDOW_MS + 200);
        NodeAdmin.Member stillDown = NodeAdmin.cluster(ctx.client(), a).member(c.id());
        assertEquals("DOWN", stillDown.status());
        assertEquals(downSince, stillDown.sinceMillis(), c.id() + " stayed DOWN the whole time in " + a.id() + "'s view");

        WorkloadClient.Written late = kv.writeWithReply("past-window", a, BUCKET, "past-window", "v2", "QUORUM", 5000);
        assertEquals(Outcome.OK, late.outcome(), "the write past the window still succeeds on its quorum: " + late.reply());
        Receipt pastWindow = Receipt.parse(late.reply().header("X-Kvorum-Quorum"));
        long skippedDelta = NodeAdmin.cluster(ctx.client(), a).skippedPastWindow() - skippedBefore;
        double droppedTargetDelta = NodeAdmin.metric(ctx.client(), a, "kvorum_hints_dropped_target_total",
                pastWindowLabels) - droppedTargetBefore;
        double droppedDelta = NodeAdmin.metric(ctx.client(), a, "kvorum_hints_dropped_total", Map.of()) - droppedBefore;
        long storedDelta = NodeAdmin.cluster(ctx.client(), a).hintsStored() - storedBefore;
        long pendingForC = NodeAdmin.cluster(ctx.client(), a).member(c.id()).pendingHints();

        Figures.of("f").put("windowMs", WINDOW_MS).put("downSeenAfterKillMs", downSince - killedAt)
                .put("controlAfterDownMs", controlAnsweredAt - downSince).put("controlHinted", withinWindow.hinted())
                .put("pastWindowAcked", pastWindow.acked()).put("pastWindowHinted", pastWindow.hinted())
                .put("skippedPastWindowDelta", skippedDelta).put("droppedPastWindowMetricDelta", (long) droppedTargetDelta)
                .put("droppedTotalDelta", (long) droppedDelta).put("hintsStoredDelta", storedDelta)
                .put("pendingHintsForDown", pendingForC)
                .print(ctx);
        assertEquals(2, pastWindow.acked(), pastWindow.toString());
        assertEquals(0, pastWindow.hinted(), "a write past the window is not hinted: " + pastWindow);
        assertEquals(1, skippedDelta, "/admin/cluster hints.skippedPastWindow counts the write not hinted");
        assertEquals(1.0, droppedTargetDelta, "kvorum_hints_dropped_target_total{target=" + c.id()
                + ",reason=past_window} counts it");
        assertEquals(1.0, droppedDelta, "kvorum_hints_dropped_total counts it");
        assertEquals(0, storedDelta, "the write past the window stored no hint");
    }
}
