package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.history.Checker;
import io.kvorum.system.history.FinalRead;
import io.kvorum.system.history.Outcome;
import io.kvorum.system.history.UniqueKeyReport;
import io.kvorum.system.nemesis.Nemesis;
import io.kvorum.system.nemesis.Scenario;
import io.kvorum.system.nemesis.ScenarioContext;
import io.kvorum.system.nemesis.WorkloadClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario a, hinted handoff (after Cassandra's hinted-handoff dtest): with C killed, A
 * coordinates 1000 writes at {@code consistency=ONE}; C comes back and the hints A holds for it
 * drain; then A and B are killed, and C alone must answer every key with its value. Nothing but
 * handoff can have brought the writes to C: no client wrote to it and there is no anti-entropy.
 */
class HintedHandoffScenarioTest {
    private static final int KEYS = 1000;
    private static final String BUCKET = "handoff";

    @Test
    @Scenario(deadlineSeconds = 150)
    void aReplicaKilledDuringWritesAtOneGetsThemAllByHintedHandoff(ScenarioContext ctx) throws Exception {
        SystemCluster cluster = ScenarioNodes.start(ctx, 3, ScenarioNodes.FAST_DETECTION);
        List<NodeProcess> all = ScenarioNodes.nodes(cluster, 3);
        NodeProcess a = all.get(0);
        NodeProcess b = all.get(1);
        NodeProcess c = all.get(2);
        Nemesis nemesis = ctx.nemesis(all);
        WorkloadClient kv = ctx.workload();

        nemesis.kill(c);

        AtomicInteger next = new AtomicInteger();
        AtomicInteger hintedInReceipts = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String process = "writer-" + w;
            done.add(writers.submit(() -> {
                for (int i = next.getAndIncrement(); i < KEYS; i = next.getAndIncrement()) {
                    String key = "k" + i;
                    WorkloadClient.Written r = kv.writeWithReply(process, a, BUCKET, key, "v" + i + "-" + ctx.seed(),
                            "ONE", 5000);
                    if (r.outcome() == Outcome.OK) {
                        hintedInReceipts.addAndGet(Receipt.parse(r.reply().header("X-Kvorum-Quorum")).hinted());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(ctx.deadline().remaining().toMillis(), TimeUnit.MILLISECONDS);
        }
        writers.shutdown();
        long acked = ctx.history().operations().stream().filter(o -> o.ok()).count();
        assertEquals(KEYS, acked, "every write at ONE with A and B up must be acknowledged; see the history");
        // One hint per key: made before the answer while A sees C DOWN, just after it for the first
        // writes, sent to C before A noticed it was gone (their hints follow the refused connection).
        await("A to hold a hint for C for every key").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> NodeAdmin.cluster(ctx.client(), a).member(c.id()).pendingHints(), n -> n == KEYS);
        long pendingForC = NodeAdmin.cluster(ctx.client(), a).member(c.id()).pendingHints();

        nemesis.restart(c);
        Duration drained = NodeAdmin.awaitHintsDrained(ctx, List.of(a, b), ScenarioNodes.HINT_DRAIN);
        // C's storage commits since its restart: almost all of them are the replayed hints.
        long cCommits = (long) NodeAdmin.metric(ctx.client(), c, "kvorum_storage_commit_seconds_count", Map.of());
        double cCommitSeconds = NodeAdmin.metric(ctx.client(), c, "kvorum_storage_commit_seconds_sum", Map.of());

        nemesis.kill(a);
        nemesis.kill(b);
        List<String> keys = FinalReads.writtenKeys(ctx.history().operations());
        Map<String, FinalRead> onC = FinalReads.read(kv, List.of(c), BUCKET, keys, "ONE", 4);
        UniqueKeyReport report = Checker.uniqueKeyWrites(ctx.history().operations(), onC);

        Figures.of("a").put("keys", KEYS).report(report).put("readFromC", onC.size())
                .put("hintedInReceipts", hintedInReceipts.get()).put("hintsForC", pendingForC)
                .put("hintsDrainedMs", drained.toMillis()).put("commitsOnC", cCommits)
                .put("commitMeanMsOnC", cCommits == 0 ? 0 : Math.round(cCommitSeconds * 1e4 / cCommits) / 10.0)
                .print(ctx);
        assertEquals(KEYS, report.acked().size(), report.summary());
        assertEquals(KEYS, onC.size(), "C alone answered only " + onC.size() + " of the reads: " + report.summary());
        assertEquals(0, report.lost().size(), "C misses writes it should have had by handoff: " + report.summary());
        assertEquals(0, report.unexpected().size(), report.summary());
        assertTrue(report.valid(), report.summary());
    }
}
