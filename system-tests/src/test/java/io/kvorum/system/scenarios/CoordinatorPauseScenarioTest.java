package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.history.Operation;
import io.kvorum.system.history.Outcome;
import io.kvorum.system.nemesis.LoopbackClient;
import io.kvorum.system.nemesis.Nemesis;
import io.kvorum.system.nemesis.Scenario;
import io.kvorum.system.nemesis.ScenarioContext;
import io.kvorum.system.nemesis.WorkloadClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario d, a paused coordinator: clients write unique keys at {@code QUORUM}, most of them
 * through one node, with a server deadline ({@code timeout=}) of {@value #SERVER_TIMEOUT_MS} ms
 * and a client timeout a little longer. That node is frozen with SIGSTOP for longer than both
 * (its sockets stay open, so its clients see silence, then time out) and thawed with SIGCONT; it
 * then finds requests that waited in its socket queue and timers long overdue.
 *
 * <p>Other clients write at {@code ALL} through the other two nodes: once those see the frozen
 * node DOWN they refuse at once with 503 {@code applied: none}, a certain failure. The node stays
 * frozen at least {@link #PAUSE}, and until such failures have been seen, so that the check below
 * has something to bite on whatever the failure detector's speed.
 *
 * <p>Afterwards no write the client saw fail for certain may be visible, no acknowledged write may
 * be lost, and no value appear that nobody wrote; writes the clients gave up on are indeterminate
 * and may go either way.
 */
class CoordinatorPauseScenarioTest {
    private static final String BUCKET = "pause";
    private static final long SERVER_TIMEOUT_MS = 1000;
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(1500);
    /** The least time the coordinator stays frozen: several client timeouts. */
    private static final Duration PAUSE = Duration.ofSeconds(5);

    @Test
    @Scenario(deadlineSeconds = 150)
    void aWriteTheClientSawFailNeverAppearsAndNoAckedWriteIsLostWhenTheCoordinatorIsPaused(ScenarioContext ctx)
            throws Exception {
        SystemCluster cluster = ScenarioNodes.start(ctx, 3, ScenarioNodes.FAST_DETECTION);
        List<NodeProcess> all = ScenarioNodes.nodes(cluster, 3);
        NodeProcess paused = all.get(ctx.random().nextInt(all.size()));
        List<NodeProcess> others = all.stream().filter(n -> n != paused).toList();
        Nemesis nemesis = ctx.nemesis(all);
        WorkloadClient impatient = new WorkloadClient(new LoopbackClient(LoopbackClient.DEFAULT_SOURCE,
                Duration.ofSeconds(1), CLIENT_TIMEOUT), ctx.history());
        UniqueKeyWorkload quorum = new UniqueKeyWorkload(impatient, "quorum", BUCKET, "QUORUM", SERVER_TIMEOUT_MS,
                Duration.ofMillis(20));
        quorum.writersVia(paused, 3);
        others.forEach(n -> quorum.writersVia(n, 1));
        UniqueKeyWorkload strict = new UniqueKeyWorkload(impatient, "all", BUCKET, "ALL", SERVER_TIMEOUT_MS,
                Duration.ofMillis(20));
        others.forEach(n -> strict.writersVia(n, 1));
        Duration stage = Duration.ofSeconds(30);

        await("acks through " + paused.id() + " before the pause").atMost(ctx.deadline().atMost(stage))
                .pollInterval(Duration.ofMillis(20)).until(() -> quorum.ackedVia(paused) >= 100);
        int strictFailedBefore = strict.failed();
        nemesis.pause(paused);
        long pauseStart = System.nanoTime();
        await("the others to refuse writes at ALL while " + paused.id() + " is frozen")
                .atMost(ctx.deadline().atMost(ScenarioNodes.STATUS_CHANGE)).pollInterval(Duration.ofMillis(20))
                .until(() -> strict.failed() > strictFailedBefore);
        long heldMs = (System.nanoTime() - pauseStart) / 1_000_000;
        if (heldMs < PAUSE.toMillis()) {
            Thread.sleep(PAUSE.toMillis() - heldMs); // the fault: the node stays frozen at least this long
        }
        nemesis.resume(paused);
        long pauseEnd = System.nanoTime();
        int viaPausedAtResume = quorum.ackedVia(paused);
        await(paused.id() + " to coordinate acknowledged writes again").atMost(ctx.deadline().atMost(stage))
                .pollInterval(Duration.ofMillis(20)).until(() -> quorum.ackedVia(paused) >= viaPausedAtResume + 100);
        quorum.stop(CLIENT_TIMEOUT.multipliedBy(3));
        strict.stop(CLIENT_TIMEOUT.multipliedBy(3));

        UniqueKeyCheck.Result result = UniqueKeyCheck.settleAndCheck(ctx, all, BUCKET);

        List<Operation> viaPaused = ctx.history().operations().stream()
                .filter(o -> o.process().startsWith(quorum.processPrefix(paused))).toList();
        long cutOffByThePause = viaPaused.stream()
                .filter(o -> o.invokedNanos() < pauseEnd && o.completedNanos() > pauseStart)
                .filter(o -> o.outcome() == Outcome.INDETERMINATE).count();
        long failedAfterResume = viaPaused.stream().filter(o -> o.invokedNanos() >= pauseEnd)
                .filter(o -> o.outcome() == Outcome.FAIL).count();
        Figures.of("d").report(result.report()).put("paused", paused.id())
                .put("pauseMs", (pauseEnd - pauseStart) / 1_000_000)
                .put("serverTimeoutMs", SERVER_TIMEOUT_MS).put("clientTimeoutMs", CLIENT_TIMEOUT.toMillis())
                .put("indeterminateViaPaused", cutOffByThePause).put("failedViaPausedAfterResume", failedAfterResume)
                .put("failedAtAll", strict.failed())
                .put("hintsDrainedMs", result.hintsDrained().toMillis())
                .print(ctx);
        UniqueKeyCheck.assertClean(result.report());
        assertTrue(cutOffByThePause > 0, "no write through " + paused.id() + " was cut off by the pause: did it "
                + "take effect? " + result.report().summary());
    }
}
