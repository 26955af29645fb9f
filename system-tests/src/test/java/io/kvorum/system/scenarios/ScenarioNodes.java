package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.nemesis.ScenarioContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the scenarios start their nodes. <b>The one place for node tuning flags</b>: every flag a
 * scenario passes to its nodes comes from here, and the nodes get no flags from the harness
 * ({@link NodeProcess#HARNESS_TUNING} is not used), so a change of configuration keys is made here
 * alone.
 *
 * <p>The scenarios wait for status changes with Awaitility rather than assuming a detection time,
 * so they pass with {@link #FAST_DETECTION} empty too, only slower: the wait bounds below are wide
 * enough for a phi-accrual detector at its defaults (a dead node convicted in about 20 s).
 */
final class ScenarioNodes {
    /**
     * Failure-detection tuning for the scenarios that only need failures seen soon (a, b, c, d,
     * f); scenario e uses none. Gossip five times a second: a silent node is convicted after
     * about 3.7 s instead of about 18.4 s.
     */
    static final List<String> FAST_DETECTION = List.of("--set", "gossipIntervalMillis=200");

    /** The longest a scenario waits for every node to see a status change (DOWN or UP). */
    static final Duration STATUS_CHANGE = Duration.ofSeconds(30);

    /** The longest a scenario waits for the nodes' pending hints to drain. */
    static final Duration HINT_DRAIN = Duration.ofSeconds(90);

    private ScenarioNodes() {
    }

    /** {@link #FAST_DETECTION} followed by {@code --set key=value} for each given setting. */
    static List<String> fastDetectionWith(String... settings) {
        List<String> args = new ArrayList<>(FAST_DETECTION);
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        return args;
    }

    /**
     * Starts a cluster of {@code size} nodes with exactly {@code flags} on top of the nodes'
     * defaults, waits until every node is ready and sees every other UP, and answers it. The
     * scenario's context kills the nodes when the scenario ends, whatever happens. Data and logs
     * stay under {@code target/scenario-nodes/<Class.method>-<seed>/}, emptied first.
     */
    static SystemCluster start(ScenarioContext ctx, int size, List<String> flags) throws IOException {
        Path root = Path.of(System.getProperty("basedir", "."), "target", "scenario-nodes",
                ctx.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ctx.seed()).toAbsolutePath().normalize();
        deleteRecursively(root); // a replay of the same seed starts from empty data directories
        long start = System.nanoTime();
        SystemCluster cluster = ctx.cluster(root, size, flags, false);
        cluster.startAll();
        List<NodeProcess> nodes = nodes(cluster, size);
        NodeAdmin.awaitAllSeeAllUp(ctx, nodes, STATUS_CHANGE);
        ctx.history().note("scenario", size + " nodes up in " + root);
        System.out.printf("[scenario] %d nodes ready in %d ms; data and logs in %s%n", size,
                (System.nanoTime() - start) / 1_000_000, root);
        return cluster;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static List<NodeProcess> nodes(SystemCluster cluster, int size) {
        List<NodeProcess> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(cluster.node(i));
        }
        return List.copyOf(out);
    }
}
