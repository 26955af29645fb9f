package io.kvorum.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durability with real processes: with durability=sync a replica acknowledges a write only after
 * it is synced, so a node killed with SIGKILL while writes are in flight has, after restart, every
 * write the cluster acknowledged at consistency=ALL (which needs its ack). The killed node leaves
 * nothing behind in its temporary directory either (no library copy, no cache directory).
 */
class SigkillDurabilityTest {
    @TempDir
    Path root;

    @Test
    void aNodeKilledWithSigkillKeepsEveryWriteItAcknowledged() throws Exception {
        try (SystemCluster cluster = new SystemCluster(root, 3, List.of())) {
            cluster.startAll();
            NodeProcess victim = cluster.node(2);
            List<String> acked = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sequence = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                int coordinator = t % 2; // n1 and n2 coordinate; n3 is the victim replica
                writers.submit(() -> {
                    while (!stop.get() && sequence.get() < 5_000) {
                        String key = "k" + sequence.incrementAndGet();
                        try {
                            HttpResponse<byte[]> r = cluster.send("PUT", cluster.node(coordinator).url()
                                    + "/kv/durable/" + key + "?consistency=ALL&timeout=2000",
                                    key.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
                            if (r.statusCode() == 204) {
                                acked.add(key);
                            }
                        } catch (IllegalStateException e) {
                            // indeterminate: not counted as acked
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> acked.size() >= 300);
            victim.kill();
            int ackedAtKill = acked.size();
            List<String> leftInTmp = listing(victim.tmpDir());
            stop.set(true);
            writers.shutdown();
            assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(ackedAtKill >= 300, "the workload got only " + ackedAtKill + " acks before the kill");

            assertEquals(List.of(), leftInTmp, "a node killed with SIGKILL leaves nothing in its temporary directory");

            victim.start();
            cluster.awaitReady(victim);
            List<String> missing = new ArrayList<>();
            for (String key : new ArrayList<>(acked)) {
                if (cluster.replicaRecord(victim, "durable", key) == null) {
                    missing.add(key);
                }
            }
            System.out.printf("SIGKILL durability: %d writes acked at ALL before or around the kill, %d missing on the"
                    + " restarted replica%n", acked.size(), missing.size());
            assertEquals(List.of(), missing, "acknowledged writes lost by the killed replica");
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
