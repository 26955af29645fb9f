package io.kvorum.system.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.system.NodeProcess;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;

/** Reads what nodes say about the cluster, through a {@link LoopbackClient} (so partitions do not blind it). */
public final class ClusterProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackClient client;

    public ClusterProbe(LoopbackClient client) {
        this.client = client;
    }

    /** Member id to status ({@code UP}/{@code DOWN}) as {@code observer} sees them in {@code /admin/cluster}. */
    public Map<String, String> statusesSeenBy(NodeProcess observer) {
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
        Map<String, String> out = new TreeMap<>();
        for (JsonNode m : body.path("members")) {
            out.put(m.path("id").asText(), m.path("status").asText());
        }
        return out;
    }

    /**
     * Waits until {@code observer} reports {@code subject} with {@code status}; answers how long that took.
     *
     * @throws org.awaitility.core.ConditionTimeoutException if it does not within {@code atMost}
     */
    public Duration awaitStatus(NodeProcess observer, NodeProcess subject, String status, Duration atMost) {
        long start = System.nanoTime();
        await("%s to see %s %s".formatted(observer.id(), subject.id(), status))
                .atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> status.equals(statusesSeenBy(observer).get(subject.id())));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** True once {@code GET /ready} answers 200. */
    public boolean ready(NodeProcess node) {
        try {
            return client.get(node.url() + "/ready").status() == 200;
        } catch (HttpCallException e) {
            return false;
        }
    }

    /** Waits until the node answers {@code GET /ready} with 200. */
    public void awaitReady(NodeProcess node, Duration atMost) {
        await(node.id() + " to be ready").atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> ready(node));
    }
}
