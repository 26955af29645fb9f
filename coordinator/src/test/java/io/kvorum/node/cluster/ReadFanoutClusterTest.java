package io.kvorum.node.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** readFanout=required on a real 3-node cluster: R replicas answer a read, and a dead one is replaced. */
class ReadFanoutClusterTest {
    @TempDir
    static Path data;
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(data, 3, Map.of("readFanout", "required"));
        cluster.awaitAllSeeAllUp();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void quorumReadsAnswerFromTwoRepliesAndSurviveAStoppedReplica() {
        for (int i = 0; i < 6; i++) {
            assertEquals(204, cluster.send("PUT", cluster.url(0) + "/kv/b/f" + i + "?consistency=ALL",
                    ("v" + i).getBytes(StandardCharsets.UTF_8), Map.of()).statusCode());
        }
        for (int i = 0; i < 6; i++) {
            HttpResponse<byte[]> r = cluster.send("GET", cluster.url(0) + "/kv/b/f" + i + "?consistency=QUORUM",
                    null, Map.of());
            assertEquals(200, r.statusCode(), () -> body(r));
            assertEquals("v" + i, body(r));
            assertEquals("required=2; replied=2; repaired=0", r.headers().firstValue("X-Kvorum-Quorum").orElse(""));
        }
        cluster.stopNode(1);
        try {
            // whether or not n1 has noticed yet, every read still gets two replies: a replica that
            // refuses the connection is replaced by the one not asked yet
            for (int i = 0; i < 6; i++) {
                HttpResponse<byte[]> r = cluster.send("GET", cluster.url(0) + "/kv/b/f" + i + "?consistency=QUORUM",
                        null, Map.of());
                assertEquals(200, r.statusCode(), () -> body(r));
                assertEquals("v" + i, body(r));
            }
            String metrics = body(cluster.send("GET", cluster.url(0) + "/metrics", null, Map.of()));
            assertTrue(metrics.contains("kvorum_read_speculative_total{node=\"n1\"}"), "the counter is exported");
        } finally {
            cluster.restartStoppedNodes();
        }
    }
}
