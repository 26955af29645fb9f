package io.kvorum.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvorum.ring.RingSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sloppy quorum over real HTTP: with buckets of n=1 and n=2 on three nodes every key has
 * fallbacks, so a write whose replica is down goes to the next live node of the preference
 * list, which holds it as a hint for that replica and hands it off when the replica returns.
 * Also consistency=ANY and the gossip view in /admin/cluster.
 */
class SloppyQuorumTest {
    @TempDir
    static Path data;
    static TestCluster cluster;
    static RingSnapshot ring;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(data, 3);
        cluster.awaitAllSeeAllUp();
        ring = RingSnapshot.create(1, cluster.config(0).partitions(), cluster.config(0).members());
        setBucket("two", "{\"n\":2,\"conflict\":\"lww\"}");
        setBucket("twosib", "{\"n\":2,\"conflict\":\"siblings\"}");
        setBucket("one", "{\"n\":1,\"conflict\":\"lww\"}");
        setBucket("onesib", "{\"n\":1,\"conflict\":\"siblings\"}");
    }

    private static void setBucket(String bucket, String json) {
        HttpResponse<byte[]> r = cluster.send("PUT", cluster.url(0) + "/buckets/" + bucket,
                json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        int n = TestCluster.json(r.body()).path("n").asInt();
        for (int i = 0; i < 3; i++) {
            int node = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> TestCluster.json(cluster.send("GET",
                    cluster.url(node) + "/buckets/" + bucket, null, Map.of()).body()).path("n").asInt() == n);
        }
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void allNodesRunning() {
        cluster.restartStoppedNodes();
    }

    /** A fresh key of {@code bucket} whose preference list is exactly these nodes, in this order. */
    private static String keyWithPreference(String bucket, int... nodes) {
        List<String> wanted = java.util.Arrays.stream(nodes).mapToObj(cluster::id).toList();
        for (int attempt = 0; attempt < 100_000; attempt++) {
            String key = "k-" + UUID.randomUUID();
            int p = ring.partitionOf(bucket, key.getBytes(StandardCharsets.UTF_8));
            if (ring.preferenceList(p).equals(wanted)) {
                return key;
            }
        }
        throw new AssertionError("no key with preference list " + wanted);
    }

    private static HttpResponse<byte[]> put(int node, String bucket, String key, String value, String query) {
        return cluster.send("PUT", cluster.url(node) + "/kv/" + bucket + "/" + key + "?" + query,
                value.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
    }

    private static String receipt(HttpResponse<byte[]> r) {
        return r.headers().firstValue("X-Kvorum-Quorum").orElse(null);
    }

    private static long pendingHintsFor(int observer, String target) {
        return member(observer, target).path("pendingHints").asLong();
    }

    private static JsonNode member(int observer, String target) {
        JsonNode c = TestCluster.json(cluster.send("GET", cluster.url(observer) + "/admin/cluster", null, Map.of()).body());
        for (JsonNode m : c.path("members")) {
            if (m.path("id").asText().equals(target)) {
                return m;
            }
        }
        throw new AssertionError("no member " + target);
    }

    private static String stored(int node, String bucket, String key) {
        return cluster.replicaRecord(node, bucket, key.getBytes(StandardCharsets.UTF_8), 256)
                .map(r -> new String(r.liveSiblings().get(0).value(), StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void aWriteWhoseReplicaIsDownGoesToTheFallbackWhichHandsItOff() {
        String key = keyWithPreference("two", 0, 1, 2);
        cluster.stopNode(1);
        cluster.awaitStatus(0, 1, "DOWN");
        HttpResponse<byte[]> w = put(0, "two", key, "via-fallback", "consistency=2");
        assertEquals(204, w.statusCode(), () -> new String(w.body(), StandardCharsets.UTF_8));
        assertEquals("required=2; acked=2; fallback=1; hinted=0", receipt(w),
                "n3 stood in for n2 and acked; the coordinator stored no hint of its own");
        assertEquals(1, pendingHintsFor(2, "n2"), "the fallback n3 holds the write as a hint for n2");
        assertEquals(0, pendingHintsFor(0, "n2"));
        assertEquals(null, stored(2, "two", key), "a fallback keeps the write as a hint, not as its own data");

        cluster.startNode(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "via-fallback".equals(stored(1, "two", key)));
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingHintsFor(2, "n2") == 0);
        assertTrue(member(2, "n2").path("hintsReplayed").asLong() >= 1, "replay progress is visible");
    }

    @Test
    void aSiblingsWriteIsCreatedAtALivePrimaryAndCarriedByTheFallback() {
        String key = keyWithPreference("twosib", 1, 2, 0);
        cluster.stopNode(1);
        cluster.awaitStatus(0, 1, "DOWN");
        HttpResponse<byte[]> w = put(0, "twosib", key, "causal", "consistency=2");
        assertEquals(204, w.statusCode(), () -> new String(w.body(), StandardCharsets.UTF_8));
        assertEquals("required=2; acked=2; fallback=1; hinted=0", receipt(w));
        assertEquals("causal", stored(2, "twosib", key), "n3, the live primary, created the version");
        assertEquals(1, pendingHintsFor(0, "n2"), "the coordinator n1 is the fallback: it holds the hint itself");
        cluster.startNode(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "causal".equals(stored(1, "twosib", key)));
    }

    @Test
    void sloppyFalseNeverUsesAFallback() {
        String key = keyWithPreference("two", 0, 1, 2);
        cluster.stopNode(1);
        cluster.awaitStatus(0, 1, "DOWN");
        HttpResponse<byte[]> w = put(0, "two", key, "strict", "consistency=2&sloppy=false");
        assertEquals(503, w.statusCode());
        JsonNode problem = TestCluster.json(w.body());
        assertEquals("none", problem.path("applied").asText());
        assertEquals(0, pendingHintsFor(2, "n2"));
        assertEquals(null, stored(0, "two", key), "nothing was written");
    }

    @Test
    void consistencyAnyIsAcknowledgedByAFallbackWhenTheOnlyReplicaIsDown() {
        String key = keyWithPreference("one", 1, 2, 0);
        cluster.stopNode(1);
        cluster.awaitStatus(0, 1, "DOWN");
        HttpResponse<byte[]> one = put(0, "one", key, "strict-one", "consistency=ONE&sloppy=false");
        assertEquals(503, one.statusCode(), "without fallbacks nothing can take the write");
        HttpResponse<byte[]> any = put(0, "one", key, "any", "consistency=ANY");
        assertEquals(204, any.statusCode(), () -> new String(any.body(), StandardCharsets.UTF_8));
        assertEquals("required=1; acked=1; fallback=1; hinted=0", receipt(any));
        assertEquals(1, pendingHintsFor(2, "n2"));
        cluster.startNode(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "any".equals(stored(1, "one", key)));
        // n3 may see n2 back (and hand off) before the coordinator n1 does; until n1 sees it UP,
        // a read at ONE of a key whose only replica is n2 is rightly refused with 503.
        cluster.awaitStatus(0, 1, "UP");
        HttpResponse<byte[]> r = cluster.send("GET", cluster.url(0) + "/kv/one/" + key + "?consistency=ONE", null, Map.of());
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("any", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aSiblingsWriteWithEveryReplicaDownIsRefusedEvenAtAny() {
        String key = keyWithPreference("onesib", 1, 2, 0);
        cluster.stopNode(1);
        cluster.awaitStatus(0, 1, "DOWN");
        HttpResponse<byte[]> any = put(0, "onesib", key, "no-origin", "consistency=ANY");
        assertEquals(503, any.statusCode());
        JsonNode problem = TestCluster.json(any.body());
        assertTrue(problem.path("detail").asText().contains("created by one of them"), problem.toString());
        assertEquals("none", problem.path("applied").asText());
    }

    @Test
    void adminClusterShowsPhiAndGenerationAndARestartedNodeRejoinsWithANewGeneration() {
        JsonNode before = member(0, "n3");
        assertTrue(before.path("phi").isNumber(), before.toString());
        assertTrue(before.path("phi").asDouble() < 8, before.toString());
        assertTrue(before.path("heartbeat").asLong() > 0, "heartbeats arrive by gossip: " + before);
        JsonNode c = TestCluster.json(cluster.send("GET", cluster.url(0) + "/admin/cluster", null, Map.of()).body());
        assertEquals(8.0, c.path("failureDetector").path("phiConvictThreshold").asDouble());
        assertNotNull(c.path("failureDetector").get("detectionBoundMillis"));
        long generation = before.path("generation").asLong();

        cluster.stopNode(2);
        cluster.awaitStatus(0, 2, "DOWN");
        assertTrue(member(0, "n3").path("phi").isNull() || member(0, "n3").path("phi").asDouble() >= 8);
        cluster.startNode(2);
        cluster.awaitStatus(0, 2, "UP");
        cluster.awaitStatus(1, 2, "UP");
        long after = member(0, "n3").path("generation").asLong();
        assertTrue(after > generation, "a restart gossips a higher generation: " + generation + " -> " + after);
        assertFalse(member(1, "n3").path("phi").isNull());
    }
}
