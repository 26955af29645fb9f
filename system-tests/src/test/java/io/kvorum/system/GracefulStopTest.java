package io.kvorum.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node stopped in order (SIGTERM, as in a rolling restart) tells its peers before it goes: at
 * default failure-detector settings, where a silent node takes up to 18.4 s to be convicted, both
 * survivors see it DOWN by the time its process has exited, so a write at {@code ALL} fails fast
 * instead of being sent to it; once it restarts it is UP again within seconds.
 */
class GracefulStopTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aNodeStoppedInOrderIsDownInItsPeersViewsAtOnce() throws Exception {
        try (SystemCluster cluster = new SystemCluster(root, 3, List.of(), false)) {
            cluster.startAll();
            NodeProcess n1 = cluster.node(0);
            NodeProcess n2 = cluster.node(1);
            NodeProcess n3 = cluster.node(2);
            await().atMost(Duration.ofSeconds(20)).until(() -> status(cluster, n1, "n3").equals("UP")
                    && status(cluster, n2, "n3").equals("UP"));

            long detectionBoundMs = JSON.readTree(cluster.send("GET", n1.url() + "/admin/cluster", null, Map.of()).body())
                    .path("failureDetector").path("detectionBoundMillis").asLong();
            assertTrue(detectionBoundMs > 10_000, "default detection settings: " + detectionBoundMs);
            long start = System.nanoTime();
            n3.terminate(); // the JVM's status after SIGTERM is 143 whether or not the stop was orderly
            assertTrue(!n3.isAlive(), "n3 exited");
            long exitedMs = (System.nanoTime() - start) / 1_000_000;
            String atN1 = status(cluster, n1, "n3");
            String atN2 = status(cluster, n2, "n3");
            System.out.printf("graceful stop: n3 exited %d ms after SIGTERM; right then n1 saw it %s, n2 %s%n",
                    exitedMs, atN1, atN2);
            assertTrue(exitedMs < detectionBoundMs / 4, "the stop took " + exitedMs + " ms: too close to the "
                    + detectionBoundMs + " ms the failure detector needs to tell anything");
            assertEquals("DOWN", atN1, "n1's view of n3 once n3 has exited");
            assertEquals("DOWN", atN2, "n2's view of n3 once n3 has exited");
            // and nothing relayed from before (n1 and n2 gossip with each other every second) brings it back
            await("n3 to stay DOWN at n1 and n2 for 3 s").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> status(cluster, n1, "n3").equals("DOWN") && status(cluster, n2, "n3").equals("DOWN"));

            long before = System.nanoTime();
            HttpResponse<byte[]> all = cluster.send("PUT", n1.url() + "/kv/stop/k?consistency=ALL",
                    "v".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
            long tookMs = (System.nanoTime() - before) / 1_000_000;
            String body = new String(all.body(), StandardCharsets.UTF_8);
            assertEquals(503, all.statusCode(), body);
            JsonNode problem = JSON.readTree(body);
            assertEquals("none", problem.path("applied").asText(), "refused before anything was sent: " + body);
            assertTrue(problem.path("down").toString().contains("n3"), body);
            HttpResponse<byte[]> quorum = cluster.send("PUT", n1.url() + "/kv/stop/k?consistency=QUORUM",
                    "v".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
            assertEquals(204, quorum.statusCode(), new String(quorum.body(), StandardCharsets.UTF_8));
            System.out.printf("graceful stop: a write at ALL was refused in %d ms%n", tookMs);

            n3.start();
            cluster.awaitReady(n3);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(
                    () -> status(cluster, n1, "n3").equals("UP") && status(cluster, n2, "n3").equals("UP"));
            HttpResponse<byte[]> again = cluster.send("PUT", n1.url() + "/kv/stop/k2?consistency=ALL",
                    "v".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
            assertEquals(204, again.statusCode(), new String(again.body(), StandardCharsets.UTF_8));
        }
    }

    private static String status(SystemCluster cluster, NodeProcess observer, String subject) throws Exception {
        HttpResponse<byte[]> r = cluster.send("GET", observer.url() + "/admin/cluster", null, Map.of());
        assertEquals(200, r.statusCode());
        for (JsonNode m : JSON.readTree(r.body()).path("members")) {
            if (m.path("id").asText().equals(subject)) {
                return m.path("status").asText();
            }
        }
        throw new AssertionError(subject + " is not in " + observer.id() + "'s /admin/cluster");
    }
}
