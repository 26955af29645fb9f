package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.nemesis.Nemesis;
import io.kvorum.system.nemesis.Scenario;
import io.kvorum.system.nemesis.ScenarioContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario e, failure detection at the default settings (the nodes get no tuning flag at all): a
 * node killed with SIGKILL is marked DOWN in {@code /admin/cluster} of every surviving node within
 * {@link #DOWN_BOUND}, and UP again within {@link #UP_BOUND} of its restart (counted from the
 * moment the restarted node answers {@code /ready}).
 *
 * <p>The bounds hold for today's ping monitor (a refused connection convicts at once: about 1 to
 * 2 s at the default 1 s interval) and for a phi-accrual detector at its defaults (1 s gossip,
 * threshold 8: a dead node is convicted in about 18 to 20 s; a restarted one is heard from at its
 * first gossip round).
 */
class FailureDetectionScenarioTest {
    /** The most a surviving node may take, at default settings, to mark a killed node DOWN. */
    static final Duration DOWN_BOUND = Duration.ofSeconds(25);
    /** The most a surviving node may take, at default settings, to mark a restarted node UP once it is ready. */
    static final Duration UP_BOUND = Duration.ofSeconds(10);
    /** How much longer than a bound the scenario keeps watching, so that a miss is measured, not just reported. */
    private static final Duration OVERRUN = Duration.ofSeconds(10);

    @Test
    @Scenario(deadlineSeconds = 130)
    void aKilledNodeIsSeenDownWithinTheBoundAndUpSoonAfterItsRestart(ScenarioContext ctx) throws Exception {
        SystemCluster cluster = ScenarioNodes.start(ctx, 3, List.of());
        List<NodeProcess> all = ScenarioNodes.nodes(cluster, 3);
        NodeProcess victim = all.get(ctx.random().nextInt(all.size()));
        List<NodeProcess> survivors = all.stream().filter(n -> n != victim).toList();
        Nemesis nemesis = ctx.nemesis(all);

        nemesis.kill(victim);
        Map<String, Long> downMs = awaitSeenBySurvivors(ctx, survivors, victim, "DOWN", DOWN_BOUND.plus(OVERRUN));
        long restartStart = System.nanoTime();
        nemesis.restart(victim);
        long readyMs = (System.nanoTime() - restartStart) / 1_000_000;
        Map<String, Long> upMs = awaitSeenBySurvivors(ctx, survivors, victim, "UP", UP_BOUND.plus(OVERRUN));

        Figures.of("e").put("killed", victim.id()).put("downMs", join(downMs)).put("downBoundMs", DOWN_BOUND.toMillis())
                .put("restartToReadyMs", readyMs).put("upMs", join(upMs)).put("upBoundMs", UP_BOUND.toMillis())
                .print(ctx);
        downMs.forEach((observer, ms) -> assertTrue(ms <= DOWN_BOUND.toMillis(), observer + " saw " + victim.id()
                + " DOWN only after " + ms + " ms, more than the bound of " + DOWN_BOUND.toMillis() + " ms"));
        upMs.forEach((observer, ms) -> assertTrue(ms <= UP_BOUND.toMillis(), observer + " saw " + victim.id()
                + " UP only " + ms + " ms after it was ready, more than the bound of " + UP_BOUND.toMillis() + " ms"));
    }

    /**
     * Watches every survivor's {@code /admin/cluster} until each reports {@code subject} in
     * {@code status}; answers, per survivor, the ms from the call to the first poll that showed it.
     */
    private static Map<String, Long> awaitSeenBySurvivors(ScenarioContext ctx, List<NodeProcess> survivors,
                                                          NodeProcess subject, String status, Duration atMost) {
        long start = System.nanoTime();
        Map<String, Long> seen = new TreeMap<>();
        await("every survivor to see " + subject.id() + " " + status).atMost(ctx.deadline().atMost(atMost))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                    for (NodeProcess o : survivors) {
                        if (!seen.containsKey(o.id())
                                && status.equals(NodeAdmin.cluster(ctx.client(), o).member(subject.id()).status())) {
                            seen.put(o.id(), (System.nanoTime() - start) / 1_000_000);
                        }
                    }
                    return seen.size() == survivors.size();
                });
        ctx.history().note("scenario", "survivors saw " + subject.id() + " " + status + " after " + seen + " ms");
        return seen;
    }

    private static String join(Map<String, Long> perObserver) {
        return String.join(",", perObserver.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList());
    }
}
