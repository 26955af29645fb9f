package io.kvorum.node.cluster;

import io.kvorum.node.replica.BatchCodec;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.node.replica.InternalCodec;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replica messages coalesced per peer, on a real 3-node cluster: concurrent client requests share
 * internal exchanges, every message of a batch gets its own outcome, and with coalescing turned off
 * (replicaBatchMaxOps=0) the one-exchange-per-message path still serves (on nodes that also read
 * their store files with channel I/O and run one event loop: the other non-default settings).
 */
class CoalescingTest {
    @TempDir
    static Path data;
    @TempDir
    static Path plainData;
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.Ee+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void concurrentWritesThroughOneNodeShareInternalExchangesAndAllLand() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String prefix = "co-" + UUID.randomUUID() + "-";
        int writes = 400;
        List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(cluster.url(0) + "/kv/b/" + prefix + i
                                    + "?consistency=QUORUM"))
                            .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(utf8("v" + i)))
                            .build(), HttpResponse.BodyHandlers.discarding()));
        }
        for (int i = 0; i < writes; i++) {
            assertEquals(204, sent.get(i).join().statusCode(), "write " + i);
        }
        for (int i = 0; i < writes; i += 37) {
            HttpResponse<byte[]> r = cluster.send("GET", cluster.url(2) + "/kv/b/" + prefix + i + "?consistency=ALL",
                    null, Map.of());
            assertEquals(200, r.statusCode());
            assertEquals("v" + i, new String(r.body(), StandardCharsets.UTF_8));
        }
        String metrics = new String(cluster.send("GET", cluster.url(0) + "/metrics", null, Map.of()).body(),
                StandardCharsets.UTF_8);
        double batches = metric(metrics, "kvorum_replica_batch_messages_count{lane=\"write\",node=\"n1\"}");
        double messages = metric(metrics, "kvorum_replica_batch_messages_sum{lane=\"write\",node=\"n1\"}");
        assertTrue(messages >= 2 * writes, "every write goes to both peers: " + messages + " messages");
        assertTrue(batches > 0 && batches < messages,
                "some batches carried several messages: " + batches + " batches for " + messages + " messages");
    }

    /**
     * A replica read of a key that no write waits on runs on the event loop that got it, local or
     * remote, without a trip through the storage writer's queue; what it answers is the same.
     */
    @Test
    void readsOfSettledKeysRunOnTheEventLoopsAndAnswerTheLatestWrite() {
        String key = "inline-" + UUID.randomUUID();
        HttpResponse<byte[]> w = cluster.send("PUT", cluster.url(0) + "/kv/b/" + key + "?consistency=ALL", utf8("one"),
                Map.of("Content-Type", "text/plain"));
        assertEquals(204, w.statusCode(), () -> new String(w.body(), StandardCharsets.UTF_8));
        double[] before = new double[3];
        for (int i = 0; i < 3; i++) {
            before[i] = storageMetric(i, "kvorum_storage_reads_inline_total");
        }
        String context = null;
        for (int attempt = 0; attempt < 5; attempt++) { // a read that finds the writer busy queues instead
            HttpResponse<byte[]> r = cluster.send("GET", cluster.url(1) + "/kv/b/" + key + "?consistency=ALL", null,
                    Map.of());
            assertEquals(200, r.statusCode());
            assertEquals("one", new String(r.body(), StandardCharsets.UTF_8));
            context = r.headers().firstValue("X-Kvorum-Context").orElseThrow();
        }
        for (int i = 0; i < 3; i++) {
            double after = storageMetric(i, "kvorum_storage_reads_inline_total");
            assertTrue(after >= before[i] + 1, "n" + (i + 1) + " read its replica on its event loop: "
                    + before[i] + " -> " + after);
        }
        HttpResponse<byte[]> w2 = cluster.send("PUT", cluster.url(2) + "/kv/b/" + key + "?consistency=ALL", utf8("two"),
                Map.of("Content-Type", "text/plain", "X-Kvorum-Context", context));
        assertEquals(204, w2.statusCode());
        HttpResponse<byte[]> r2 = cluster.send("GET", cluster.url(0) + "/kv/b/" + key + "?consistency=ONE", null, Map.of());
        assertEquals("two", new String(r2.body(), StandardCharsets.UTF_8), "a read after an acknowledged write sees it");
    }

    /**
     * The key cache: once a replica has walked MapDB's B-tree to a key, its later reads and writes
     * of that key go straight to the record, on every replica, and still answer the latest write.
     */
    @Test
    void repeatedReadsAndWritesOfAKeyFindItInEachReplicasKeyCache() {
        String key = "cached-" + UUID.randomUUID();
        HttpResponse<byte[]> w = cluster.send("PUT", cluster.url(0) + "/kv/b/" + key + "?consistency=ALL", utf8("one"),
                Map.of("Content-Type", "text/plain"));
        assertEquals(204, w.statusCode(), () -> new String(w.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> first = cluster.send("GET", cluster.url(1) + "/kv/b/" + key + "?consistency=ALL", null,
                Map.of());
        assertEquals(200, first.statusCode(), "the first read walks to the key and remembers it");
        String context = first.headers().firstValue("X-Kvorum-Context").orElseThrow();
        double[] before = new double[3];
        for (int i = 0; i < 3; i++) {
            before[i] = storageMetric(i, "kvorum_storage_key_cache_hits_total");
        }
        HttpResponse<byte[]> w2 = cluster.send("PUT", cluster.url(2) + "/kv/b/" + key + "?consistency=ALL", utf8("two"),
                Map.of("Content-Type", "text/plain", "X-Kvorum-Context", context));
        assertEquals(204, w2.statusCode());
        HttpResponse<byte[]> r = cluster.send("GET", cluster.url(1) + "/kv/b/" + key + "?consistency=ALL", null, Map.of());
        assertEquals(200, r.statusCode());
        assertEquals("two", new String(r.body(), StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            assertTrue(storageMetric(i, "kvorum_storage_key_cache_hits_total") >= before[i] + 2,
                    "n" + (i + 1) + " found the key in its cache for the write and the read: " + before[i] + " -> "
                            + storageMetric(i, "kvorum_storage_key_cache_hits_total"));
            assertTrue(storageMetric(i, "kvorum_storage_key_cache_misses_total") >= 1, "misses are exported too");
        }
    }

    private static double storageMetric(int node, String name) {
        String metrics = new String(cluster.send("GET", cluster.url(node) + "/metrics", null, Map.of()).body(),
                StandardCharsets.UTF_8);
        double value = metric(metrics, name + "{node=\"n" + (node + 1) + "\"}");
        assertTrue(value >= 0, name + " is exported");
        return value;
    }

    @Test
    void everyMessageOfABatchGetsItsOwnOutcome() throws Exception {
        String bucket = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        StorageKey key = new StorageKey(1, bucket, utf8("k"));
        StorageKey missing = new StorageKey(1, bucket, utf8("missing"));
        LwwRecord record = new LwwRecord(new Sibling(utf8("hello"), "text/plain",
                new HlcTimestamp(1_700_000_000_000L, 0, "n9"), false), VersionVector.empty());
        Sibling blind = new Sibling(utf8("blind"), "text/plain", new HlcTimestamp(1_700_000_000_001L, 0, "n9"), false);
        StorageKey acked = new StorageKey(1, bucket, utf8("acked"));
        List<BatchCodec.Op> ops = List.of(
                new BatchCodec.Op(BatchCodec.READ, 0, "r1", missing.encode()),
                new BatchCodec.Op(BatchCodec.MERGE, 0, "r2", InternalCodec.encodeMerge(key, record)),
                new BatchCodec.Op(BatchCodec.READ, 0, "r3", key.encode()),
                new BatchCodec.Op(BatchCodec.WRITE, 1, "r4", InternalCodec.encodeWrite(
                        new StorageKey(1, bucket, utf8("capped")), VersionVector.empty(), blind)),
                new BatchCodec.Op(BatchCodec.WRITE, 1, "r5", InternalCodec.encodeWrite(
                        new StorageKey(1, bucket, utf8("capped")), VersionVector.empty(), blind)),
                new BatchCodec.Op(BatchCodec.READ, 0, "r6", utf8("not a storage key")),
                new BatchCodec.Op(BatchCodec.MERGE_ACK, 0, "r7", InternalCodec.encodeMerge(acked, record)),
                new BatchCodec.Op(BatchCodec.READ, 0, "r8", acked.encode()),
                new BatchCodec.Op(BatchCodec.MERGE_ACK, 0, "r9", utf8("not a merge")));
        HttpResponse<byte[]> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(cluster.url(1) + "/internal/v1/batch"))
                        .header(HttpInternalClient.SECRET_HEADER, TestCluster.SECRET)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(BatchCodec.encodeRequest(ops).getBytes())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        List<BatchCodec.Result> results = BatchCodec.decodeResponse(r.body(), ops.size());
        assertEquals(List.of(404, 200, 200, 200, 409, 400, 200, 200, 400),
                results.stream().map(BatchCodec.Result::status).toList());
        assertEquals(record, RecordCodec.decode(results.get(1).body()));
        assertArrayEquals(RecordCodec.encode(record), results.get(2).body(), "a read after a merge in the same batch sees it");
        assertTrue(new String(results.get(4).body(), StandardCharsets.UTF_8).contains("maxSiblings"),
                "the 409 says why");
        assertTrue(new String(results.get(5).body(), StandardCharsets.UTF_8).startsWith("bad message"));
        assertEquals(0, results.get(6).body().length, "a merge-ack answers by its status alone");
        assertArrayEquals(RecordCodec.encode(record), results.get(7).body(), "and its merge was applied");
        assertTrue(new String(results.get(8).body(), StandardCharsets.UTF_8).startsWith("bad message"));
    }

    @Test
    void withCoalescingOffEachMessageIsItsOwnExchange() {
        try (TestCluster plain = TestCluster.start(plainData, 3,
                Map.of("replicaBatchMaxOps", "0", "storageIo", "channel", "eventLoops", "1"))) {
            plain.awaitAllSeeAllUp();
            HttpResponse<byte[]> w = plain.send("PUT", plain.url(0) + "/kv/b/plain?consistency=ALL", utf8("v"),
                    Map.of("Content-Type", "text/plain"));
            assertEquals(204, w.statusCode(), () -> new String(w.body(), StandardCharsets.UTF_8));
            HttpResponse<byte[]> r = plain.send("GET", plain.url(1) + "/kv/b/plain?consistency=ALL", null, Map.of());
            assertEquals(200, r.statusCode());
            assertEquals("v", new String(r.body(), StandardCharsets.UTF_8));
            String metrics = new String(plain.send("GET", plain.url(0) + "/metrics", null, Map.of()).body(),
                    StandardCharsets.UTF_8);
            assertEquals(0.0, metric(metrics, "kvorum_replica_batch_messages_count{lane=\"write\",node=\"n1\"}"));
            assertTrue(metric(metrics, "kvorum_replica_calls_seconds_count{node=\"n1\",op=\"merge\",outcome=\"ok\",peer=\"n2\"}") >= 1,
                    "the origin's new version is merged into n2 by a plain internal call");
        }
    }
}
