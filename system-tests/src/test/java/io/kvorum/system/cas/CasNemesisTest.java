package io.kvorum.system.cas;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.linearizability.Budget;
import io.kvorum.system.linearizability.CheckResult;
import io.kvorum.system.linearizability.RegisterHistory;
import io.kvorum.system.linearizability.RegisterOp;
import io.kvorum.system.linearizability.Verdict;
import io.kvorum.system.nemesis.HttpReply;
import io.kvorum.system.nemesis.LoopbackClient;
import io.kvorum.system.nemesis.Nemesis;
import io.kvorum.system.nemesis.NemesisPrerequisites;
import io.kvorum.system.nemesis.Scenario;
import io.kvorum.system.nemesis.ScenarioContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 6: compare-and-set, {@code SERIAL} reads and writes, and locks on three real node
 * processes while a seeded nemesis kills and restarts, pauses and resumes, and partitions off one
 * node at a time.
 *
 * <p>The register scenario: concurrent clients on five keys of a {@code siblings} bucket (the
 * default; a conditional write supersedes every sibling, so a CAS key has one value), each
 * operation through a random node; then a {@code SERIAL} read of every key, and the whole history
 * checked key by key for linearizability (Wing and Gong). The lock scenario: clients race for one
 * lock and the grants are checked against the documented lease guarantee ({@link LeaseChecks}).
 *
 * <p>One cluster serves both scenarios (starting three JVMs takes 10 to 20 s on two CPUs). A
 * failing run prints its seed ({@code -Dkvorum.seed=N} replays the schedule and the clients'
 * choices, though not the timing) and keeps its histories under {@code target/histories}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CasNemesisTest {
    /** Node settings for these scenarios, in one place: none beyond the harness's own. */
    private static final List<String> NODE_ARGS = List.of();
    /** The nodes' deadline for one request ({@code timeout=}). */
    private static final long REQUEST_TIMEOUT_MILLIS = 2_500;
    /** How long a client waits for an answer: past the nodes' deadline, shorter than a pause. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(4_500);
    private static final long PAUSE_MILLIS = 5_000;

    private static final String BUCKET = "casreg";
    private static final int KEYS = 5;
    private static final int REGISTER_CLIENTS = 5;
    /** Load lasts at least this long, and until the nemesis is done plus {@link #TAIL}. */
    private static final Duration REGISTER_LOAD = Duration.ofSeconds(50);
    private static final Duration TAIL = Duration.ofSeconds(3);
    /** Fewer determinate operations than this means the scenario proved nothing. */
    private static final int MIN_DETERMINATE = 300;
    private static final int MIN_WRITES_PER_KEY = 10;
    private static final Budget BUDGET = new Budget(1_000_000, Duration.ofSeconds(60));

    private static final int LOCK_CLIENTS = 4;
    private static final long LOCK_TTL_SECONDS = 2;
    private static final Duration LOCK_LOAD = Duration.ofSeconds(25);
    private static final int MIN_GRANTS = 12;

    @TempDir
    static Path root;
    private static SystemCluster cluster;
    private static List<NodeProcess> all;

    @BeforeAll
    static void startCluster() throws Exception {
        NemesisPrerequisites.require();
        Nemesis.sweep();
        long start = System.nanoTime();
        cluster = new SystemCluster(root, 3, NODE_ARGS);
        cluster.startAll();
        all = List.of(cluster.node(0), cluster.node(1), cluster.node(2));
        System.out.printf("[cas] 3 nodes ready in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** An earlier scenario that failed may have left a node killed. */
    private static void everyNodeRunning(ScenarioContext ctx) throws Exception {
        for (NodeProcess n : all) {
            if (!n.isAlive()) {
                n.start();
            }
        }
        for (NodeProcess n : all) {
            ctx.probe().awaitReady(n, Duration.ofSeconds(60));
        }
    }

    @Test
    @Order(1)
    @Scenario(deadlineSeconds = 200)
    void everyKeysHistoryOfCasSerialReadsAndSerialWritesIsLinearizableUnderKillsPausesAndPartitions(
            ScenarioContext ctx) throws Exception {
        everyNodeRunning(ctx);
        RegisterHistory history = new RegisterHistory();
        ctx.keepAlso("register", history::writeTo);
        LoopbackClient http = new LoopbackClient(LoopbackClient.DEFAULT_SOURCE, Duration.ofSeconds(1), CLIENT_TIMEOUT);
        configureBucket(ctx, http);
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            keys.add("k" + k);
        }
        Random random = ctx.random();
        List<FaultSchedule.Step> plan = FaultSchedule.plan(random, all.size(),
                REGISTER_LOAD.toMillis() - TAIL.toMillis(), PAUSE_MILLIS);
        long clientSeeds = random.nextLong();
        System.out.println("[cas] nemesis plan: " + plan);
        Map<String, String> valueOfEtag = new ConcurrentHashMap<>();
        List<String> bugs = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        Nemesis nemesis = ctx.nemesis(all);
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        long loadEnd = start + REGISTER_LOAD.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(REGISTER_CLIENTS + 1);
        List<Future<?>> clients = new ArrayList<>();
        try {
            for (int c = 0; c < REGISTER_CLIENTS; c++) {
                int process = c;
                Random r = new Random(clientSeeds + c);
                RegisterClient client = new RegisterClient(process, http, history, BUCKET, REQUEST_TIMEOUT_MILLIS,
                        valueOfEtag, bugs, failures);
                clients.add(pool.submit(() -> {
                    while (!stop.get()) {
                        NodeProcess node = all.get(r.nextInt(all.size()));
                        String key = keys.get(r.nextInt(keys.size()));
                        int dice = r.nextInt(10);
                        if (dice < 4) {
                            client.read(node, key);
                        } else if (dice < 6) {
                            client.write(node, key);
                        } else {
                            client.cas(node, key);
                        }
                    }
                    return null;
                }));
            }
            Future<List<FaultSchedule.Step>> faults = pool.submit(() -> {
                try {
                    return FaultSchedule.run(plan, nemesis, all, loadEnd - TAIL.toNanos(),
                            s -> System.out.println("[cas] nemesis: " + s));
                } finally {
                    nemesis.close(); // resume and heal whatever is left, even when a step failed
                }
            });
            List<FaultSchedule.Step> ran = faults.get(ctx.deadline().remaining().toMillis(), TimeUnit.MILLISECONDS);
            long tailEnd = Math.max(loadEnd, System.nanoTime() + TAIL.toNanos());
            await("the end of the load").atMost(ctx.deadline().atMost(REGISTER_LOAD.plus(TAIL)))
                    .pollInterval(Duration.ofMillis(100)).until(() -> System.nanoTime() >= tailEnd);
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(FaultSchedule.kinds(plan), FaultSchedule.kinds(ran),
                    "every kind of fault ran: " + ran);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        long loadMillis = (System.nanoTime() - start) / 1_000_000;

        for (NodeProcess n : all) {
            ctx.probe().awaitReady(n, Duration.ofSeconds(30));
        }
        RegisterClient finalReader = new RegisterClient(REGISTER_CLIENTS, http, history, BUCKET, REQUEST_TIMEOUT_MILLIS,
                valueOfEtag, bugs, failures);
        int[] turn = {0};
        for (String key : keys) {
            await("a final SERIAL read of " + key).atMost(ctx.deadline().atMost(Duration.ofSeconds(30)))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> finalReader.read(all.get(turn[0]++ % all.size()), key));
        }

        long checkStart = System.nanoTime();
        CheckResult result = history.check(BUDGET);
        long checkMillis = (System.nanoTime() - checkStart) / 1_000_000;
        List<RegisterOp> ops = history.operations();
        Map<RegisterOp.Completion, Long> byCompletion = ops.stream()
                .collect(Collectors.groupingBy(RegisterOp::completion, Collectors.counting()));
        System.out.printf("[cas] ops=%d ok=%d 412=%d fail=%d indeterminate=%d keys=%d verdict=%s states=%d "
                        + "checkMs=%d durationMs=%d seed=%d%n", ops.size(),
                byCompletion.getOrDefault(RegisterOp.Completion.OK, 0L),
                byCompletion.getOrDefault(RegisterOp.Completion.PRECONDITION_FAILED, 0L),
                byCompletion.getOrDefault(RegisterOp.Completion.FAIL, 0L),
                byCompletion.getOrDefault(RegisterOp.Completion.INFO, 0L),
                result.keys().size(), result.verdict(), result.states(), checkMillis, loadMillis, ctx.seed());
        System.out.println("[cas] per key (all/known): " + perKey(ops) + "; failures: " + new java.util.TreeMap<>(failures));

        assertTrue(bugs.isEmpty(), "answers no correct node gives (seed " + ctx.seed() + "): " + bugs);
        if (result.verdict() == Verdict.UNKNOWN) {
            fail("the linearizability check could not decide within its budget (" + BUDGET + "), which is not a "
                    + "pass: make the workload smaller or the budget larger (seed " + ctx.seed() + ")\n"
                    + result.explanation());
        }
        assertEquals(Verdict.LINEARIZABLE, result.verdict(),
                "seed " + ctx.seed() + ": " + result.explanation());
        assertEquals(KEYS, result.keys().size(), "every key was checked: " + result.summary());
        long determinate = ops.stream().filter(RegisterOp::determinate).count();
        assertTrue(determinate >= MIN_DETERMINATE, "too few operations with a known result to prove anything: "
                + determinate + " < " + MIN_DETERMINATE);
        for (String key : keys) {
            long n = ops.stream().filter(o -> o.key().equals(key) && o.determinate() && o.kind() != RegisterOp.Kind.READ)
                    .count();
            assertTrue(n >= MIN_WRITES_PER_KEY, key + ": too few writes with a known result: " + n);
        }
        long swapped = ops.stream().filter(o -> o.kind() == RegisterOp.Kind.CAS
                && o.completion() == RegisterOp.Completion.OK).count();
        long refused = ops.stream().filter(o -> o.completion() == RegisterOp.Completion.PRECONDITION_FAILED).count();
        assertTrue(swapped > 0 && refused > 0, "compare-and-sets both swapped and were refused: " + swapped
                + " swapped, " + refused + " refused");
    }

    /** Sets the bucket's conflict mode on one node and waits until every node has it. */
    private static void configureBucket(ScenarioContext ctx, LoopbackClient http) {
        HttpReply set = http.send("PUT", all.get(0).url() + "/buckets/" + BUCKET,
                "{\"conflict\":\"siblings\"}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertEquals(200, set.status(), "PUT /buckets/" + BUCKET + ": " + set);
        for (NodeProcess n : all) {
            await(n.id() + " to know the bucket").atMost(ctx.deadline().atMost(Duration.ofSeconds(15)))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> http.get(n.url() + "/buckets/" + BUCKET).text().contains("\"conflict\":\"siblings\""));
        }
    }

    private static String perKey(List<RegisterOp> ops) {
        Map<String, List<RegisterOp>> byKey = ops.stream().collect(Collectors.groupingBy(RegisterOp::key,
                java.util.TreeMap::new, Collectors.toList()));
        return byKey.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size() + "/"
                + e.getValue().stream().filter(RegisterOp::determinate).count()).collect(Collectors.joining(" "));
    }

    @Test
    @Order(2)
    @Scenario(deadlineSeconds = 120)
    void racingClientsNeverBothHoldALeaseAndTokensIncreaseUnderKillsAndPauses(ScenarioContext ctx) throws Exception {
        everyNodeRunning(ctx);
        List<LeaseChecks.Grant> grants = Collections.synchronizedList(new ArrayList<>());
        List<String> bugs = Collections.synchronizedList(new ArrayList<>());
        ctx.keepAlso("locks", file -> writeGrants(file, grants));
        LoopbackClient http = new LoopbackClient(LoopbackClient.DEFAULT_SOURCE, Duration.ofSeconds(1), CLIENT_TIMEOUT);
        Random random = ctx.random();
        List<FaultSchedule.Step> plan = FaultSchedule.plan(random, all.size(),
                LOCK_LOAD.toMillis() - TAIL.toMillis(), PAUSE_MILLIS).stream()
                .filter(s -> s.fault() != FaultSchedule.Fault.PARTITION).toList();
        long clientSeeds = random.nextLong();
        System.out.println("[locks] nemesis plan: " + plan);
        String lock = "lock-" + Long.toHexString(ctx.seed());
        LockClient.Counts counts = new LockClient.Counts();
        Nemesis nemesis = ctx.nemesis(all);
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        long loadEnd = start + LOCK_LOAD.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(LOCK_CLIENTS + 1);
        List<Future<?>> clients = new ArrayList<>();
        try {
            for (int c = 0; c < LOCK_CLIENTS; c++) {
                LockClient client = new LockClient(c, http, all, lock, LOCK_TTL_SECONDS, REQUEST_TIMEOUT_MILLIS,
                        new Random(clientSeeds + c), grants, bugs, counts);
                clients.add(pool.submit(() -> {
                    client.run(stop::get);
                    return null;
                }));
            }
            Future<List<FaultSchedule.Step>> faults = pool.submit(() -> {
                try {
                    return FaultSchedule.run(plan, nemesis, all, loadEnd - TAIL.toNanos(),
                            s -> System.out.println("[locks] nemesis: " + s));
                } finally {
                    nemesis.close();
                }
            });
            List<FaultSchedule.Step> ran = faults.get(ctx.deadline().remaining().toMillis(), TimeUnit.MILLISECONDS);
            long tailEnd = Math.max(loadEnd, System.nanoTime() + TAIL.toNanos());
            await("the end of the load").atMost(ctx.deadline().atMost(LOCK_LOAD.plus(TAIL)))
                    .pollInterval(Duration.ofMillis(100)).until(() -> System.nanoTime() >= tailEnd);
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(FaultSchedule.kinds(plan), FaultSchedule.kinds(ran), "every kind of fault ran: " + ran);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        long loadMillis = (System.nanoTime() - start) / 1_000_000;

        List<LeaseChecks.Grant> recorded = List.copyOf(grants);
        List<String> violations = LeaseChecks.violations(recorded);
        long valid = recorded.stream().filter(LeaseChecks.Grant::validSomewhile).count();
        System.out.printf("[locks] grants=%d validSomewhile=%d %s violations=%d durationMs=%d seed=%d%n",
                recorded.size(), valid, counts, violations.size(), loadMillis, ctx.seed());
        assertTrue(bugs.isEmpty(), "answers no correct node gives (seed " + ctx.seed() + "): " + bugs);
        assertTrue(violations.isEmpty(), "the lease guarantee was broken (seed " + ctx.seed() + "):\n"
                + String.join("\n", violations));
        assertTrue(recorded.size() >= MIN_GRANTS, "too few grants to prove anything: " + recorded.size());
        assertTrue(valid >= MIN_GRANTS / 2, "too few leases valid for any time to prove anything: " + valid);
        assertTrue(counts.held > 0, "clients never found the lock held: they did not race");
    }

    private static void writeGrants(Path file, List<LeaseChecks.Grant> grants) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LeaseChecks.Grant g : List.copyOf(grants)) {
                w.write(json.writeValueAsString(g));
                w.write('\n');
            }
        }
    }
}
