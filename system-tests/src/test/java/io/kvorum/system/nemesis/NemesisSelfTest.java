package io.kvorum.system.nemesis;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.history.Checker;
import io.kvorum.system.history.FinalRead;
import io.kvorum.system.history.Outcome;
import io.kvorum.system.history.UniqueKeyReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness against real node processes (gossiping every 200 ms): a partition and a pause are
 * seen by the nodes' failure detection and undone by heal and resume, the test client reaches
 * every node through a partition, and the checker finds no loss in a small crash workload.
 *
 * <p>One cluster serves the three tests, in order (starting three JVMs takes 10 to 20 s on a
 * two-CPU machine): the crash test, which kills and restarts n3, comes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NemesisSelfTest {
    /** Gossip every 200 ms at threshold 8 convicts after about 3.7 s without heartbeats. */
    private static final Duration DETECTION = Duration.ofSeconds(10);

    @TempDir
    static Path root;
    private static SystemCluster cluster;
    private static List<NodeProcess> all;
    private static NodeProcess n1;
    private static NodeProcess n2;
    private static NodeProcess n3;

    @BeforeAll
    static void startCluster() throws Exception {
        NemesisPrerequisites.require();
        Nemesis.sweep();
        long start = System.nanoTime();
        cluster = new SystemCluster(root, 3, List.of());
        cluster.startAll();
        all = List.of(cluster.node(0), cluster.node(1), cluster.node(2));
        n1 = all.get(0);
        n2 = all.get(1);
        n3 = all.get(2);
        System.out.printf("[self-test] 3 nodes ready in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void awaitAllUp(ClusterProbe probe) {
        for (NodeProcess observer : all) {
            for (NodeProcess subject : all) {
                if (observer != subject) {
                    probe.awaitStatus(observer, subject, "UP", DETECTION);
                }
            }
        }
    }

    @Test
    @Order(1)
    @Scenario(deadlineSeconds = 20)
    void aPartitionIsolatesN3FromTheOthersButNotFromTheClientAndHealsWithoutATrace(ScenarioContext ctx)
            throws Exception {
        List<String> hostTablesBefore = Nemesis.hostTables();
        assertFalse(hostTablesBefore.contains("table inet kvorum_nemesis"), "swept before the scenario");
        Nemesis nemesis = ctx.nemesis(all);
        ClusterProbe probe = ctx.probe();
        // Every node sees every other UP for a whole second: the pooled keep-alive connections are
        // established and in use, so the partition has to cut live connections, not just refuse new ones.
        await("a stable all-UP view").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> all.stream().allMatch(o -> Set.of("UP").equals(Set.copyOf(probe.statusesSeenBy(o).values()))));
        try (ServerSocket bystander = new ServerSocket()) {
            bystander.bind(new InetSocketAddress(n3.host(), 0)); // another process on n3's address

            nemesis.partition(Set.of(n3));

            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(n1.host(), 0));
                s.connect(bystander.getLocalSocketAddress(), 2000);
                assertTrue(s.isConnected(), "traffic between 127.0.0.1 and 127.0.0.3 on other ports is not cut");
            }
        }

        assertTrue(Nemesis.tablePresent());
        String rules = Nemesis.tableRules();
        assertTrue(rules.contains("ip saddr 127.0.0.1 ip daddr 127.0.0.3 tcp dport " + n3.port() + " drop")
                && rules.contains("ip saddr 127.0.0.3 ip daddr 127.0.0.1 tcp sport " + n3.port() + " drop"), rules);
        Duration n1SeesN3Down = probe.awaitStatus(n1, n3, "DOWN", DETECTION);
        probe.awaitStatus(n2, n3, "DOWN", DETECTION);
        probe.awaitStatus(n3, n1, "DOWN", DETECTION);
        probe.awaitStatus(n3, n2, "DOWN", DETECTION);
        probe.awaitStatus(n1, n2, "UP", DETECTION); // same side: still connected
        probe.awaitStatus(n2, n1, "UP", DETECTION);
        for (NodeProcess n : all) {
            assertEquals(200, ctx.client().get(n.url() + "/ready").status(), "the client reaches " + n.id());
        }
        System.out.printf("[self-test] n1 saw n3 DOWN %d ms after the partition%n", n1SeesN3Down.toMillis());

        nemesis.heal();

        awaitAllUp(probe);
        assertFalse(Nemesis.sweep(), "heal already removed the table");
        assertEquals(hostTablesBefore, Nemesis.hostTables(), "the host's other tables are untouched");
        assertFalse(Nemesis.tablePresent());
    }

    @Test
    @Order(2)
    @Scenario(deadlineSeconds = 20)
    void aPausedNodeIsSeenDownAndUpAgainWhenResumed(ScenarioContext ctx) throws Exception {
        Nemesis nemesis = ctx.nemesis(all);
        ClusterProbe probe = ctx.probe();
        probe.awaitStatus(n1, n2, "UP", DETECTION);

        nemesis.pause(n2);

        Duration seenDown = probe.awaitStatus(n1, n2, "DOWN", DETECTION);
        probe.awaitStatus(n3, n2, "DOWN", DETECTION);
        assertTrue(n2.isAlive(), "paused, not dead");
        LoopbackClient impatient = new LoopbackClient(LoopbackClient.DEFAULT_SOURCE, Duration.ofSeconds(1),
                Duration.ofMillis(500));
        HttpCallException silence = assertThrows(HttpCallException.class, () -> impatient.get(n2.url() + "/ready"),
                "a paused node answers nothing");
        assertTrue(silence.requestSent(), "the kernel still accepts connections for a paused node: " + silence);
        assertEquals(Set.of(n2), nemesis.pausedNodes());

        nemesis.resume(n2);

        Duration seenUp = probe.awaitStatus(n1, n2, "UP", DETECTION);
        assertTrue(probe.ready(n2));
        assertEquals(Set.of(), nemesis.pausedNodes());
        System.out.printf("[self-test] pause: n1 saw n2 DOWN after %d ms, UP %d ms after the resume%n",
                seenDown.toMillis(), seenUp.toMillis());
    }

    @Test
    @Order(3)
    @Scenario(deadlineSeconds = 30)
    void noAcknowledgedQuorumWriteIsLostWhenAReplicaIsKilledMidWorkload(ScenarioContext ctx) throws Exception {
        Nemesis nemesis = ctx.nemesis(all);
        WorkloadClient kv = ctx.workload();
        int writes = 50;
        int killAfter = 20;
        int gate = 30;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            String process = "writer-" + w;
            NodeProcess coordinator = all.get(w); // n1 and n2 coordinate; n3 is the victim
            done.add(writers.submit(() -> {
                for (int i = next.getAndIncrement(); i < writes; i = next.getAndIncrement()) {
                    if (i >= gate) {
                        killed.await(); // writes 30..49 certainly come after the kill; 20..29 may overlap it
                    }
                    String key = "k" + ctx.seed() + "-" + i;
                    kv.write(process, coordinator, "selftest", key, "v" + i, "QUORUM", 5000);
                    completed.incrementAndGet();
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(1)).until(() -> completed.get() >= killAfter);

        nemesis.kill(n3);
        killed.countDown();

        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        writers.shutdown();
        assertFalse(n3.isAlive());
        Map<String, FinalRead> finalReads = new HashMap<>();
        ctx.history().operations().stream().filter(o -> o.outcome() != Outcome.FAIL).forEach(o -> {
            FinalRead r = kv.read("final-reader", n1, "selftest", o.key(), "QUORUM", 5000);
            assertNotNull(r, "the final read of " + o.key() + " failed; see the history");
            finalReads.put(o.key(), r);
        });

        UniqueKeyReport report = Checker.uniqueKeyWrites(ctx.history().operations(), finalReads);

        System.out.println("[self-test] crash workload: " + report.summary());
        assertEquals(writes, report.invoked());
        assertEquals(0, report.lost().size(), report.summary());
        assertEquals(0, report.unexpected().size(), report.summary());
        assertEquals(0, report.failedButPresent().size(), report.summary());
        assertEquals(writes, report.acked().size() + report.indeterminate(),
                "two of three replicas stay up, so no QUORUM write may certainly fail: " + report.summary());
        assertTrue(report.acked().size() >= 40, "too few acks to prove anything: " + report.summary());
        assertTrue(report.valid(), report.summary());

        nemesis.restart(n3);
        Duration seenUp = ctx.probe().awaitStatus(n1, n3, "UP", DETECTION);
        System.out.printf("[self-test] n3 restarted; n1 saw it UP %d ms after it was ready%n", seenUp.toMillis());
    }
}
