package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.nemesis.Nemesis;
import io.kvorum.system.nemesis.Scenario;
import io.kvorum.system.nemesis.ScenarioContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario c, a crash: while clients write unique keys at {@code QUORUM} through all three nodes,
 * one node is killed with SIGKILL (no shutdown hook, nothing flushed), the others carry on, and the
 * node is started again on its data and coordinates writes again. After hint replay every
 * acknowledged key reads back at {@code ALL}.
 */
class CrashRestartScenarioTest {
    private static final String BUCKET = "crash";
    private static final long SERVER_TIMEOUT_MS = 2000;
    private static final int ACKS_PER_STAGE = 200;

    @Test
    @Scenario(deadlineSeconds = 160)
    void noAcknowledgedQuorumWriteIsLostWhenANodeIsKilledAndRestartedMidWorkload(ScenarioContext ctx)
            throws Exception {
        SystemCluster cluster = ScenarioNodes.start(ctx, 3, ScenarioNodes.FAST_DETECTION);
        List<NodeProcess> all = ScenarioNodes.nodes(cluster, 3);
        NodeProcess victim = all.get(ctx.random().nextInt(all.size()));
        Nemesis nemesis = ctx.nemesis(all);
        UniqueKeyWorkload workload = new UniqueKeyWorkload(ctx.workload(), "quorum", BUCKET, "QUORUM",
                SERVER_TIMEOUT_MS, Duration.ofMillis(20));
        all.forEach(n -> workload.writersVia(n, 2));
        Duration stage = Duration.ofSeconds(30);

        await("acks before the kill").atMost(ctx.deadline().atMost(stage)).pollInterval(Duration.ofMillis(20))
                .until(workload::acked, n -> n >= ACKS_PER_STAGE);
        nemesis.kill(victim);
        int ackedAtKill = workload.acked();
        long downStart = System.nanoTime();
        await("acks while " + victim.id() + " is down").atMost(ctx.deadline().atMost(stage))
                .pollInterval(Duration.ofMillis(20)).until(workload::acked, n -> n >= ackedAtKill + ACKS_PER_STAGE);
        int ackedWhileDown = workload.acked() - ackedAtKill;
        long hintsForKilled = all.stream().filter(n -> n != victim)
                .mapToLong(n -> NodeAdmin.cluster(ctx.client(), n).member(victim.id()).pendingHints()).sum();
        nemesis.restart(victim);
        long downMs = (System.nanoTime() - downStart) / 1_000_000;
        int viaVictimAtRestart = workload.ackedVia(victim);
        await(victim.id() + " to coordinate acknowledged writes again").atMost(ctx.deadline().atMost(stage))
                .pollInterval(Duration.ofMillis(20)).until(() -> workload.ackedVia(victim) >= viaVictimAtRestart + 50);
        workload.stop(Duration.ofSeconds(15)); // beyond the 10 s of the client's own timeout

        UniqueKeyCheck.Result result = UniqueKeyCheck.settleAndCheck(ctx, all, BUCKET);

        Figures.of("c").report(result.report()).put("killed", victim.id()).put("ackedAtKill", ackedAtKill)
                .put("ackedWhileDown", ackedWhileDown).put("downMs", downMs)
                .put("hintsForKilledAtRestart", hintsForKilled)
                .put("pendingHintsWhenAllUp", result.pendingBefore().values().stream().mapToLong(Long::longValue).sum())
                .put("hintsDrainedMs", result.hintsDrained().toMillis())
                .print(ctx);
        UniqueKeyCheck.assertClean(result.report());
        assertTrue(ackedAtKill >= ACKS_PER_STAGE && ackedWhileDown >= ACKS_PER_STAGE, result.report().summary());
        assertTrue(hintsForKilled > 0, "the survivors held no hint for " + victim.id() + " although "
                + ackedWhileDown + " writes were acknowledged while it was down");
    }
}
