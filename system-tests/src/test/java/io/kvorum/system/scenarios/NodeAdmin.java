package io.kvorum.system.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.system.NodeProcess;
import io.kvorum.system.nemesis.HttpReply;
import io.kvorum.system.nemesis.LoopbackClient;
import io.kvorum.system.nemesis.ScenarioContext;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;

/**
 * What a node says about itself and the cluster, read through the scenario's loopback client
 * (which no partition cuts off): {@code /admin/cluster} and {@code /metrics}.
 */
final class NodeAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeAdmin() {
    }

    /** One member as an observer sees it. */
    record Member(String status, long sinceMillis, long pendingHints) {
    }

    /**
     * One node's {@code /admin/cluster}.
     *
     * @param members            by id, as this node sees them
     * @param skippedPastWindow  writes this node did not hint because the target was down past the window
     * @param windowMillis       the hint window in force
     * @param hintsStored        new hints this node's store took since it started (coalesced ones apart)
     */
    record ClusterView(String node, Map<String, Member> members, long skippedPastWindow, long windowMillis,
                       long hintsStored) {
        /** Hints this node holds, all targets. */
        long pendingHints() {
            return members.values().stream().mapToLong(Member::pendingHints).sum();
        }

        Member member(String id) {
            Member m = members.get(id);
            if (m == null) {
                throw new IllegalStateException(node + " does not list " + id + " in /admin/cluster: " + members);
            }
            return m;
        }
    }

    static ClusterView cluster(LoopbackClient client, NodeProcess observer) {
        HttpReply r = client.get(observer.url() + "/admin/cluster");
        if (r.status() != 200) {
            throw new IllegalStateException("GET /admin/cluster on " + observer.id() + ": " + r);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET /admin/cluster on " + observer.id() + " is not JSON: " + r, e);
        }
        Map<String, Member> members = new TreeMap<>();
        for (JsonNode m : body.path("members")) {
            if (!m.hasNonNull("pendingHints")) {
                throw new IllegalStateException(observer.id() + "'s /admin/cluster has no pendingHints per member: " + r);
            }
            members.put(m.path("id").asText(), new Member(m.path("status").asText(),
                    Instant.parse(m.path("since").asText()).toEpochMilli(), m.path("pendingHints").asLong()));
        }
        JsonNode hints = body.path("hints");
        return new ClusterView(body.path("node").asText(), members, hints.path("skippedPastWindow").asLong(),
                hints.path("windowMillis").asLong(), hints.path("stored").asLong());
    }

    /** Waits until every node answers and sees every other node UP. */
    static void awaitAllSeeAllUp(ScenarioContext ctx, Collection<NodeProcess> nodes, Duration atMost) {
        await("every node to see every other UP").atMost(ctx.deadline().atMost(atMost))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> nodes.stream().allMatch(o -> nodes.stream().allMatch(
                        s -> "UP".equals(cluster(ctx.client(), o).member(s.id()).status()))));
    }

    /**
     * Waits until none of {@code nodes} holds a pending hint for any member; answers how long that
     * took from the call.
     */
    static Duration awaitHintsDrained(ScenarioContext ctx, Collection<NodeProcess> nodes, Duration atMost) {
        long start = System.nanoTime();
        await("every node's pending hints to drain").atMost(ctx.deadline().atMost(atMost))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> nodes.stream().allMatch(n -> cluster(ctx.client(), n).pendingHints() == 0));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Pending hints per node, all targets: for the figures and failure messages. */
    static Map<String, Long> pendingHints(ScenarioContext ctx, Collection<NodeProcess> nodes) {
        Map<String, Long> out = new TreeMap<>();
        for (NodeProcess n : nodes) {
            out.put(n.id(), cluster(ctx.client(), n).pendingHints());
        }
        return out;
    }

    /**
     * The value of one Prometheus series in the node's {@code /metrics}: the first sample of
     * {@code name} whose labels include every given {@code label="value"} pair; 0 when there is
     * none (Micrometer registers a counter at its first increment).
     */
    static double metric(LoopbackClient client, NodeProcess node, String name, Map<String, String> labels) {
        HttpReply r = client.get(node.url() + "/metrics");
        if (r.status() != 200) {
            throw new IllegalStateException("GET /metrics on " + node.id() + ": " + r);
        }
        for (String line : r.text().split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelText = close < 0 ? "" : line.substring(name.length(), close + 1);
            if (labels.entrySet().stream().allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return 0;
    }
}
