package io.kvorum.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvorum.node.http.KeyPath;
import io.kvorum.storage.KeyRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real 3-node cluster in this JVM over HTTP on loopback: the quorum behaviours a client sees. */
class ClusterTest {
    @TempDir
    static Path data;
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(data, 3);
        cluster.awaitAllSeeAllUp();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void allNodesRunning() {
        cluster.restartStoppedNodes();
    }

    static String kv(int node, String bucket, String key, String query) {
        return cluster.url(node) + "/kv/" + bucket + "/" + KeyPath.encode(key.getBytes(StandardCharsets.UTF_8))
                + (query.isEmpty() ? "" : "?" + query);
    }

    static HttpResponse<byte[]> put(int node, String bucket, String key, String value, String query) {
        return cluster.send("PUT", kv(node, bucket, key, query), value.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/plain"));
    }

    static HttpResponse<byte[]> get(int node, String bucket, String key, String query) {
        return cluster.send("GET", kv(node, bucket, key, query), null, Map.of());
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void quorumWriteThenQuorumReadOnAnotherNodeSeesTheValue() {
        String key = unique("ryw");
        HttpResponse<byte[]> w = put(0, "b", key, "v1", "consistency=QUORUM");
        assertEquals(204, w.statusCode(), () -> new String(w.body()));
        assertTrue(header(w, "X-Kvorum-Quorum").startsWith("required=2; acked="), header(w, "X-Kvorum-Quorum"));
        assertTrue(header(w, "X-Kvorum-Context") != null && header(w, "ETag") != null);
        for (int node = 0; node < 3; node++) {
            HttpResponse<byte[]> r = get(node, "b", key, "consistency=QUORUM");
            assertEquals(200, r.statusCode());
            assertEquals("v1", new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("text/plain", header(r, "Content-Type"));
            assertTrue(header(r, "X-Kvorum-Quorum").startsWith("required=2; replied="), header(r, "X-Kvorum-Quorum"));
            assertTrue(header(r, "Last-Modified") != null);
        }
    }

    @Test
    void metricsExposeRequestsQuorumFailuresReplicaCallsAndJvmInPrometheusFormat() {
        String key = unique("metrics");
        assertEquals(204, put(0, "b", key, "v", "consistency=QUORUM").statusCode());
        assertEquals(200, get(0, "b", key, "consistency=ALL").statusCode());
        HttpResponse<byte[]> m = cluster.send("GET", cluster.url(0) + "/metrics", null, Map.of());
        assertEquals(200, m.statusCode());
        assertTrue(header(m, "Content-Type").startsWith("text/plain"), header(m, "Content-Type"));
        String text = new String(m.body(), StandardCharsets.UTF_8);
        for (String expected : new String[]{
                "kvorum_client_requests_seconds_count{consistency=\"QUORUM\",node=\"n1\",op=\"put\",status=\"204\"}",
                "kvorum_client_requests_seconds_count{consistency=\"ALL\",node=\"n1\",op=\"get\",status=\"200\"}",
                "kvorum_replica_calls_seconds_count{node=\"n1\",op=\"read\",outcome=\"ok\",peer=\"n2\"}",
                "kvorum_read_siblings_count{node=\"n1\"}",
                "kvorum_read_repairs_total{node=\"n1\"}",
                "kvorum_storage_keys{node=\"n1\"}",
                "kvorum_storage_commit_seconds_count{node=\"n1\"}",
                "kvorum_storage_commit_batch_count{node=\"n1\"}",
                "jvm_memory_used_bytes{"}) {
            assertTrue(text.contains(expected), "missing " + expected + " in /metrics");
        }
        // Vert.x's per-request HTTP meters are off on purpose (event-loop time; see docs/operations.md)
        assertFalse(text.contains("vertx_http_server_requests_total"), "Vert.x HTTP server meters are on");
    }

    @Test
    void adminViewsRenderTheLiveClusterAndRing() {
        String status = io.kvorum.node.cli.AdminViews.cluster(
                TestCluster.json(cluster.send("GET", cluster.url(1) + "/admin/cluster", null, Map.of()).body()));
        for (String id : new String[]{"n1", "n2", "n3"}) {
            assertTrue(status.lines().anyMatch(l -> l.startsWith(id) && l.contains("UP")), status);
        }
        String ring = io.kvorum.node.cli.AdminViews.ring(
                TestCluster.json(cluster.send("GET", cluster.url(1) + "/admin/ring", null, Map.of()).body()));
        assertTrue(ring.contains("256 partitions, n=3"), ring);
        assertTrue(ring.lines().anyMatch(l -> l.matches("n1\\s+\\d+\\s+\\d+\\.\\d%\\s+256\\s+100.0%")), ring);
    }

    @Test
    void allWithOneNodeStoppedFailsFastAndWritesNothing() {
        cluster.stopNode(2);
        cluster.awaitStatus(0, 2, "DOWN");
        String key = unique("all");
        long start = System.nanoTime();
        HttpResponse<byte[]> w = put(0, "b", key, "v", "consistency=ALL&timeout=5000");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, w.statusCode());
        assertTrue(millis < 1000, "503 took " + millis + " ms");
        String metrics = new String(cluster.send("GET", cluster.url(0) + "/metrics", null, Map.of()).body(),
                StandardCharsets.UTF_8);
        assertTrue(metrics.contains("kvorum_quorum_failures_total{kind=\"unavailable\",node=\"n1\",op=\"put\"}"),
                "an unavailable quorum is counted");
        assertEquals("application/problem+json", header(w, "Content-Type"));
        JsonNode problem = TestCluster.json(w.body());
        assertEquals(3, problem.path("required").asInt());
        assertEquals(0, problem.path("acked").asInt());
        assertEquals("none", problem.path("applied").asText());
        assertTrue(problem.path("detail").asText().contains("n3"), problem.toString());
        for (int node = 0; node < 2; node++) {
            assertEquals(Optional.empty(), cluster.replicaRecord(node, "b", key.getBytes(StandardCharsets.UTF_8), 256),
                    "replica n" + (node + 1) + " must hold nothing");
        }
    }

    @Test
    void quorumWithOneNodeStoppedSucceedsWithTwoAcks() {
        cluster.stopNode(2);
        cluster.awaitStatus(0, 2, "DOWN");
        cluster.awaitStatus(1, 2, "DOWN");
        String key = unique("q");
        HttpResponse<byte[]> w = put(0, "b", key, "v", "consistency=QUORUM");
        assertEquals(204, w.statusCode());
        assertEquals("required=2; acked=2; fallback=0; hinted=1", header(w, "X-Kvorum-Quorum"),
                "the coordinator stored a hint for the stopped replica");
        HttpResponse<byte[]> r = get(1, "b", key, "consistency=QUORUM");
        assertEquals(200, r.statusCode());
        assertEquals("required=2; replied=2; repaired=0", header(r, "X-Kvorum-Quorum"));
    }

    @Test
    void hintedHandoffBringsAStoppedReplicaUpToDateWithoutAnyRead() {
        String key = unique("handoff");
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        cluster.stopNode(2);
        cluster.awaitStatus(0, 2, "DOWN");
        HttpResponse<byte[]> w = put(0, "b", key, "while-away", "consistency=QUORUM");
        assertEquals(204, w.statusCode());
        assertTrue(header(w, "X-Kvorum-Quorum").endsWith("hinted=1"), header(w, "X-Kvorum-Quorum"));
        assertEquals(1, pendingHintsFor(0, "n3"), "n1 holds the hint for n3");
        cluster.startNode(2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> cluster.replicaRecord(2, "b", keyBytes, 256).isPresent());
        assertEquals("while-away", new String(cluster.replicaRecord(2, "b", keyBytes, 256).orElseThrow()
                .liveSiblings().get(0).value(), StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingHintsFor(0, "n3") == 0);
        String metrics = new String(cluster.send("GET", cluster.url(0) + "/metrics", null, Map.of()).body(),
                StandardCharsets.UTF_8);
        assertTrue(metrics.contains("kvorum_hints_replayed_total{node=\"n1\",target=\"n3\"}"), "replay is counted");
    }

    @Test
    void aStrictWriteStoresNoHint() {
        cluster.stopNode(2);
        cluster.awaitStatus(0, 2, "DOWN");
        HttpResponse<byte[]> w = put(0, "b", unique("strict"), "v", "consistency=QUORUM&sloppy=false");
        assertEquals("required=2; acked=2; fallback=0; hinted=0", header(w, "X-Kvorum-Quorum"));
    }

    private static long pendingHintsFor(int observer, String target) {
        JsonNode c = TestCluster.json(cluster.send("GET", cluster.url(observer) + "/admin/cluster", null, Map.of()).body());
        for (JsonNode m : c.path("members")) {
            if (m.path("id").asText().equals(target)) {
                return m.path("pendingHints").asLong();
            }
        }
        throw new AssertionError("no member " + target);
    }

    @Test
    void concurrentBlindWritesBecomeSiblingsAndAWriteWithTheContextResolvesThem() {
        String key = unique("sib");
        assertEquals(204, put(0, "b", key, "from-n1", "consistency=ALL").statusCode());
        assertEquals(204, put(1, "b", key, "from-n2", "consistency=ALL").statusCode());
        HttpResponse<byte[]> r = get(2, "b", key, "consistency=ALL");
        assertEquals(300, r.statusCode(), () -> new String(r.body()));
        JsonNode body = TestCluster.json(r.body());
        Set<String> texts = new HashSet<>();
        body.path("siblings").forEach(s -> texts.add(s.path("text").asText()));
        assertEquals(Set.of("from-n1", "from-n2"), texts);
        String context = body.path("context").asText();
        assertEquals(context, header(r, "X-Kvorum-Context"));

        HttpResponse<byte[]> resolve = cluster.send("PUT", kv(2, "b", key, "consistency=ALL"),
                "merged".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain", "X-Kvorum-Context", context));
        assertEquals(204, resolve.statusCode());
        HttpResponse<byte[]> after = get(0, "b", key, "consistency=ALL");
        assertEquals(200, after.statusCode());
        assertEquals("merged", new String(after.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aReplicaThatMissedAWriteIsRepairedByARead() {
        String key = unique("repair");
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        cluster.stopNode(2);
        cluster.awaitStatus(0, 2, "DOWN");
        assertEquals(204, put(0, "b", key, "fresh", "consistency=QUORUM&sloppy=false").statusCode());
        cluster.startNode(2);
        cluster.awaitAllSeeAllUp();
        assertEquals(Optional.empty(), cluster.replicaRecord(2, "b", keyBytes, 256), "n3 missed the write");

        HttpResponse<byte[]> r = get(0, "b", key, "consistency=ALL");
        assertEquals(200, r.statusCode());
        assertEquals("fresh", new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(header(r, "X-Kvorum-Quorum").endsWith("repaired=1"), header(r, "X-Kvorum-Quorum"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.replicaRecord(2, "b", keyBytes, 256).isPresent());
        KeyRecord repaired = cluster.replicaRecord(2, "b", keyBytes, 256).orElseThrow();
        assertEquals("fresh", new String(repaired.liveSiblings().get(0).value(), StandardCharsets.UTF_8));
    }

    @Test
    void aDeletedKeyStaysDeletedWhenAStaleReplicaReturns() {
        String key = unique("del");
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        assertEquals(204, put(0, "b", key, "doomed", "consistency=ALL").statusCode());
        cluster.stopNode(2);
        cluster.awaitStatus(0, 2, "DOWN");
        HttpResponse<byte[]> d = cluster.send("DELETE", kv(0, "b", key, "consistency=QUORUM&sloppy=false"), null, Map.of());
        assertEquals(204, d.statusCode());
        cluster.startNode(2);
        cluster.awaitAllSeeAllUp();
        assertFalse(cluster.replicaRecord(2, "b", keyBytes, 256).orElseThrow().isDeleted(), "n3 is stale");

        HttpResponse<byte[]> r = get(2, "b", key, "consistency=ALL");
        assertEquals(404, r.statusCode());
        assertTrue(header(r, "X-Kvorum-Context") != null, "a deleted key's 404 carries its context");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.replicaRecord(2, "b", keyBytes, 256).orElseThrow().isDeleted());
        assertEquals(404, get(1, "b", key, "consistency=ONE").statusCode());
    }

    @Test
    void binaryValuesAndContentTypesRoundTripByteExact() {
        byte[] value = new byte[70_000];
        new Random(42).nextBytes(value);
        String key = unique("bin");
        HttpResponse<byte[]> w = cluster.send("PUT", kv(0, "b", key, ""), value,
                Map.of("Content-Type", "application/x-kvorum-test; charset=binary"));
        assertEquals(204, w.statusCode());
        HttpResponse<byte[]> r = get(1, "b", key, "");
        assertEquals(200, r.statusCode());
        assertArrayEquals(value, r.body());
        assertEquals("application/x-kvorum-test; charset=binary", header(r, "Content-Type"));
    }

    @Test
    void utf8KeysWithReservedCharactersAreDistinctKeys() {
        String base = unique("ключ");
        String[] keys = {base + "/a?b#c", base + "/a", base + "%20+ &=", base + " "};
        for (int i = 0; i < keys.length; i++) {
            assertEquals(204, put(i % 3, "b", keys[i], "value-" + i, "").statusCode(), keys[i]);
        }
        for (int i = 0; i < keys.length; i++) {
            HttpResponse<byte[]> r = get((i + 1) % 3, "b", keys[i], "");
            assertEquals(200, r.statusCode(), keys[i]);
            assertEquals("value-" + i, new String(r.body(), StandardCharsets.UTF_8), keys[i]);
        }
    }

    @Test
    void bucketPropertiesSetOnOneNodeAreSeenOnEveryNodeAndSurviveRestart() {
        String bucket = "props-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<byte[]> set = cluster.send("PUT", cluster.url(0) + "/buckets/" + bucket,
                "{\"conflict\":\"lww\",\"maxSiblings\":5}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
        assertEquals(200, set.statusCode(), () -> new String(set.body()));
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(10)).until(() -> "lww".equals(TestCluster.json(
                    cluster.send("GET", cluster.url(n) + "/buckets/" + bucket, null, Map.of()).body())
                    .path("conflict").asText()));
        }
        cluster.stopNode(1);
        cluster.startNode(1);
        JsonNode props = TestCluster.json(cluster.send("GET", cluster.url(1) + "/buckets/" + bucket, null, Map.of()).body());
        assertEquals("lww", props.path("conflict").asText());
        assertEquals(5, props.path("maxSiblings").asInt());
        assertEquals(3, props.path("n").asInt());
    }

    @Test
    void lwwBucketKeepsOnlyTheLatestOfConcurrentWrites() {
        String bucket = "lww-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(200, cluster.send("PUT", cluster.url(0) + "/buckets/" + bucket,
                "{\"conflict\":\"lww\"}".getBytes(StandardCharsets.UTF_8), Map.of()).statusCode());
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(10)).until(() -> "lww".equals(TestCluster.json(
                    cluster.send("GET", cluster.url(n) + "/buckets/" + bucket, null, Map.of()).body())
                    .path("conflict").asText()));
        }
        String key = unique("k");
        assertEquals(204, put(0, bucket, key, "first", "consistency=ALL").statusCode());
        assertEquals(204, put(1, bucket, key, "second", "consistency=ALL").statusCode());
        HttpResponse<byte[]> r = get(2, bucket, key, "consistency=ALL");
        assertEquals(200, r.statusCode());
        assertEquals("second", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void blockingReadRepairRepairsBeforeAnswering() {
        String bucket = "blk-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(200, cluster.send("PUT", cluster.url(0) + "/buckets/" + bucket,
                "{\"readRepair\":\"blocking\"}".getBytes(StandardCharsets.UTF_8), Map.of()).statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> "blocking".equals(TestCluster.json(
                cluster.send("GET", cluster.url(1) + "/buckets/" + bucket, null, Map.of()).body())
                .path("readRepair").asText()));
        String key = unique("k");
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        cluster.stopNode(2);
        cluster.awaitStatus(1, 2, "DOWN");
        assertEquals(204, put(1, bucket, key, "v", "consistency=QUORUM&sloppy=false").statusCode());
        cluster.startNode(2);
        cluster.awaitAllSeeAllUp();
        await().atMost(Duration.ofSeconds(10)).until(() -> "blocking".equals(TestCluster.json(
                cluster.send("GET", cluster.url(2) + "/buckets/" + bucket, null, Map.of()).body())
                .path("readRepair").asText()));
        HttpResponse<byte[]> r = get(1, bucket, key, "consistency=ALL");
        assertEquals(200, r.statusCode());
        assertEquals("required=3; replied=3; repaired=1", header(r, "X-Kvorum-Quorum"));
        assertTrue(cluster.replicaRecord(2, bucket, keyBytes, 256).isPresent(), "repaired before the answer");
    }
}
