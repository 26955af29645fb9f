package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.history.Operation;
import io.kvorum.system.history.Outcome;
import io.kvorum.system.nemesis.Nemesis;
import io.kvorum.system.nemesis.Scenario;
import io.kvorum.system.nemesis.ScenarioContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario b, a minority partition: while clients write unique keys at {@code QUORUM} through all
 * three nodes, one node is cut off from the other two (both directions; the clients still reach
 * it) for a phase, then the partition heals for a phase, then another node is cut off, then it
 * heals again. After hint replay every acknowledged key reads back at {@code ALL}, no value
 * appears that nobody wrote, and no write the client saw fail certainly is visible.
 */
class MinorityPartitionScenarioTest {
    private static final String BUCKET = "partition";
    /** How long each partition and each healed stretch lasts. */
    private static final Duration PHASE = Duration.ofSeconds(15);
    /** Partition, heal, partition, heal: two toggles each way, 60 s of writes. */
    private static final int PHASES = 4;
    private static final long SERVER_TIMEOUT_MS = 2000;

    @Test
    @Scenario(deadlineSeconds = 220)
    void noAcknowledgedQuorumWriteIsLostWhenAMinorityIsCutOffAndHealedTwice(ScenarioContext ctx) throws Exception {
        SystemCluster cluster = ScenarioNodes.start(ctx, 3, ScenarioNodes.FAST_DETECTION);
        List<NodeProcess> all = ScenarioNodes.nodes(cluster, 3);
        Nemesis nemesis = ctx.nemesis(all);
        UniqueKeyWorkload workload = new UniqueKeyWorkload(ctx.workload(), "quorum", BUCKET, "QUORUM",
                SERVER_TIMEOUT_MS, Duration.ofMillis(50));
        all.forEach(n -> workload.writersVia(n, 2));

        List<NodeProcess> cutOff = new ArrayList<>();
        List<Long> downSeenMs = new ArrayList<>();
        List<long[]> partitionSpans = new ArrayList<>();
        List<Long> hintsAtHeal = new ArrayList<>();
        List<Long> drainedAfterHealMs = new ArrayList<>();
        NodeProcess previous = null;
        for (int phase = 0; phase < PHASES; phase++) {
            long phaseStart = System.nanoTime();
            long phaseEnd = phaseStart + PHASE.toNanos();
            if (phase % 2 == 0) {
                List<NodeProcess> candidates = new ArrayList<>(all);
                candidates.remove(previous); // the second partition cuts off another node
                NodeProcess minority = candidates.get(ctx.random().nextInt(candidates.size()));
                previous = minority;
                cutOff.add(minority);
                nemesis.partition(Set.of(minority));
                downSeenMs.add(holdWatching(ctx, all, minority, phaseStart, phaseEnd));
                partitionSpans.add(new long[]{phaseStart, System.nanoTime()});
            } else {
                nemesis.heal();
                long[] drain = holdWatchingHints(ctx, all, phaseStart, phaseEnd);
                hintsAtHeal.add(drain[0]);
                drainedAfterHealMs.add(drain[1]);
            }
        }
        workload.stop(Duration.ofSeconds(15)); // beyond the 10 s of the client's own timeout
        if (nemesis.partitioned()) {
            nemesis.heal();
        }

        UniqueKeyCheck.Result result = UniqueKeyCheck.settleAndCheck(ctx, all, BUCKET);

        List<Operation> ops = ctx.history().operations();
        List<Long> notOkOnMinority = new ArrayList<>();
        for (int i = 0; i < cutOff.size(); i++) {
            String prefix = workload.processPrefix(cutOff.get(i));
            long[] span = partitionSpans.get(i);
            notOkOnMinority.add(ops.stream().filter(o -> o.process().startsWith(prefix))
                    .filter(o -> o.invokedNanos() >= span[0] && o.invokedNanos() < span[1])
                    .filter(o -> o.outcome() != Outcome.OK).count());
        }
        Figures.of("b").report(result.report())
                .put("partitions", cutOff.size())
                .put("cutOff", String.join(",", cutOff.stream().map(NodeProcess::id).toList()))
                .put("downSeenMs", join(downSeenMs))
                .put("notOkViaMinority", join(notOkOnMinority))
                .put("hintsAtHeal", join(hintsAtHeal))
                .put("drainedAfterHealMs", join(drainedAfterHealMs))
                .put("hintsDrainedMs", result.hintsDrained().toMillis())
                .print(ctx);

        UniqueKeyCheck.assertClean(result.report());
        assertTrue(result.report().acked().size() >= 300, "too few acks to prove anything: " + result.report().summary());
        for (int i = 0; i < cutOff.size(); i++) {
            assertTrue(notOkOnMinority.get(i) > 0, "no write through " + cutOff.get(i).id() + " failed or timed out "
                    + "while it was cut off: did the partition take effect?");
        }
    }

    /**
     * Holds the healed network until {@code end} (this holding is part of the fault schedule),
     * watching the nodes' pending hints: answers their total just after the heal and when it first
     * reached 0, in ms after {@code start} (-1 if not within the phase).
     */
    private static long[] holdWatchingHints(ScenarioContext ctx, List<NodeProcess> all, long start, long end)
            throws InterruptedException {
        long atHeal = -1;
        long drained = -1;
        long lastNote = 0;
        while (System.nanoTime() < end) {
            if (drained < 0) {
                try {
                    Map<String, Long> perNode = NodeAdmin.pendingHints(ctx, all);
                    long pending = perNode.values().stream().mapToLong(Long::longValue).sum();
                    if (System.nanoTime() - lastNote >= 1_000_000_000L) {
                        lastNote = System.nanoTime();
                        ctx.history().note("scenario", "pending hints " + perNode);
                    }
                    if (atHeal < 0) {
                        atHeal = pending;
                    }
                    if (pending == 0) {
                        drained = (System.nanoTime() - start) / 1_000_000;
                        ctx.history().note("scenario", atHeal + " hints pending at the heal drained after " + drained
                                + " ms");
                    }
                } catch (RuntimeException e) {
                    // a slow admin answer only delays the observation
                }
            }
            Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
        }
        return new long[]{atHeal, drained};
    }

    private static String join(List<Long> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    /**
     * Holds the current state of the network until {@code end} (this holding is the fault itself),
     * watching whether the other nodes see {@code minority} DOWN; answers when they both first did,
     * in ms after {@code start}, or -1 if they did not within the phase.
     */
    private static long holdWatching(ScenarioContext ctx, List<NodeProcess> all, NodeProcess minority, long start,
                                     long end) throws InterruptedException {
        long seen = -1;
        while (System.nanoTime() < end) {
            if (minority != null && seen < 0) {
                try {
                    boolean down = all.stream().filter(n -> n != minority).allMatch(
                            n -> "DOWN".equals(NodeAdmin.cluster(ctx.client(), n).member(minority.id()).status()));
                    if (down) {
                        seen = (System.nanoTime() - start) / 1_000_000;
                        ctx.history().note("scenario", "the majority sees " + minority.id() + " DOWN after " + seen + " ms");
                    }
                } catch (RuntimeException e) {
                    // a slow admin answer only delays the observation
                }
            }
            Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
        }
        return seen;
    }
}
