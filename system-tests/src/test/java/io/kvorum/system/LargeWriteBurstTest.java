package io.kvorum.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of large writes against one real node with the default 256 MiB heap: 300 PUTs of 1 MiB
 * at once are 300 MiB of bodies. Each gets 204 or a clean 503 with Retry-After (the node holds at
 * most maxInFlightValueBytes of values); none gets a 500 or no answer, the node stays ready, logs no
 * OutOfMemoryError, and every acknowledged value reads back whole. Before the limit, the same burst
 * filled the heap and killed the node's event loop.
 */
class LargeWriteBurstTest {
    private static final int WRITES = 300;
    private static final int VALUE_BYTES = 1024 * 1024;

    @TempDir
    Path root;

    @Test
    void aBurstOfLargeWritesIsAnsweredAndLeavesTheNodeHealthy() throws Exception {
        try (SystemCluster cluster = new SystemCluster(root, 1, List.of())) {
            cluster.startAll();
            NodeProcess node = cluster.node(0);
            byte[] value = new byte[VALUE_BYTES];
            new Random(3).nextBytes(value);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                HttpRequest put = HttpRequest.newBuilder(URI.create(node.url() + "/kv/burst/k" + i))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
                sent.add(client.sendAsync(put, HttpResponse.BodyHandlers.ofByteArray()));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<Integer> acked = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                HttpResponse<byte[]> r = sent.get(i).get(90, TimeUnit.SECONDS);
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 204) {
                    acked.add(i);
                } else {
                    String body = new String(r.body(), StandardCharsets.UTF_8);
                    assertEquals(503, r.statusCode(), body);
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), body);
                    assertTrue(body.contains("maxInFlightValueBytes"), body);
                }
            }
            System.out.printf("large write burst: %d PUTs of %d bytes at once: %s%n", WRITES, VALUE_BYTES, statuses);
            assertTrue(acked.size() >= 16, "too few writes were taken: " + statuses);

            assertEquals(200, cluster.send("GET", node.url() + "/ready", null, Map.of()).statusCode());
            List<String> oom = Files.readAllLines(node.logFile()).stream()
                    .filter(l -> l.contains("OutOfMemoryError")).limit(3).toList();
            assertEquals(List.of(), oom, "the burst ran the node out of heap");
            for (int i : acked) {
                HttpResponse<byte[]> r = cluster.send("GET", node.url() + "/kv/burst/k" + i, null, Map.of());
                assertEquals(200, r.statusCode());
                assertTrue(Arrays.equals(value, r.body()), "k" + i + " read back whole");
            }
            // and the node still takes a large write once the burst is over
            HttpResponse<byte[]> after = cluster.send("PUT", node.url() + "/kv/burst/after", value,
                    Map.of("Content-Type", "application/octet-stream"));
            assertEquals(204, after.statusCode());
            assertArrayEquals(value, cluster.send("GET", node.url() + "/kv/burst/after", null, Map.of()).body());
        }
    }
}
