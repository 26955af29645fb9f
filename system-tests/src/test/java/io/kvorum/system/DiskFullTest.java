package io.kvorum.system;

import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk, for real: n3's data directory is a 16 MiB tmpfs, and writes at {@code ALL} fill it.
 * The node must refuse work with problem+json (never a 500), say on {@code /ready} that its store
 * failed, leave the rest of the cluster taking {@code QUORUM} writes, and, once the disk has room
 * again and the node restarts, hold every write it acknowledged.
 *
 * <p>Needs root (to mount the tmpfs): in CI ({@code CI=true}) its absence is a failure, elsewhere
 * the test is skipped with the reason. The tmpfs is unmounted however the test ends.
 */
class DiskFullTest {
    private static final int VALUE_BYTES = 64 * 1024;
    private static final String DISK_SIZE = "16m";

    @TempDir
    Path root;

    @Test
    void aNodeWhoseDiskFillsRefusesWorkCleanlyAndKeepsEveryWriteItAcknowledged() throws Exception {
        Path disk = root.resolve("n3");
        Files.createDirectories(disk);
        mountOrSkip(disk);
        try (SystemCluster cluster = new SystemCluster(root, 3, List.of())) {
            cluster.startAll();
            NodeProcess n1 = cluster.node(0);
            NodeProcess n3 = cluster.node(2);
            Random random = new Random(7);
            Map<String, byte[]> acked = new TreeMap<>();
            Map<Integer, Integer> statuses = new TreeMap<>();
            HttpResponse<byte[]> refused = null;
            // 16 MiB of tmpfs holds fewer than 256 values of 64 KiB; stop at the first refusal
            for (int i = 0; i < 1_000 && refused == null; i++) {
                byte[] value = new byte[VALUE_BYTES];
                random.nextBytes(value);
                String key = "k" + i;
                HttpResponse<byte[]> r = cluster.send("PUT", n1.url() + "/kv/full/" + key + "?consistency=ALL&timeout=5000",
                        value, Map.of("Content-Type", "application/octet-stream"));
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 204) {
                    acked.put(key, value);
                } else {
                    refused = r;
                }
            }
            System.out.printf("disk full: %d writes at ALL acknowledged before n3's %s disk filled; statuses %s%n",
                    acked.size(), DISK_SIZE, statuses);
            assertNotNull(refused, "a " + DISK_SIZE + " disk never filled: " + statuses);
            assertTrue(acked.size() >= 20, "only " + acked.size() + " writes fit before the disk was full");
            assertEquals(503, refused.statusCode(), body(refused));
            assertProblem(refused, "n3");
            assertTrue(body(refused).contains("HTTP 503") && body(refused).contains("storage failed"),
                    "the replica says its storage failed, as a 503: " + body(refused));

            HttpResponse<byte[]> ready = cluster.send("GET", n3.url() + "/ready", null, Map.of());
            assertEquals(503, ready.statusCode(), body(ready));
            assertProblem(ready, "record store failed");
            HttpResponse<byte[]> read = cluster.send("GET", n3.url() + "/kv/full/k0?consistency=ONE", null, Map.of());
            assertTrue(read.statusCode() != 500 && read.statusCode() != 200 || Arrays.equals(acked.get("k0"), read.body()),
                    "a read through the full node is either refused cleanly or right: " + read.statusCode());
            if (read.statusCode() != 200) {
                assertProblem(read, "");
            }

            // work that needs only n3's own store: its bucket properties
            HttpResponse<byte[]> props = cluster.send("PUT", n3.url() + "/buckets/after-full",
                    "{\"n\":3}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
            assertEquals(503, props.statusCode(), body(props));
            assertProblem(props, "this node's storage failed");

            // the other two replicas still make a quorum
            HttpResponse<byte[]> quorum = cluster.send("PUT", n1.url() + "/kv/full/after?consistency=QUORUM",
                    "still writable".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
            assertEquals(204, quorum.statusCode(), body(quorum));

            List<String> logLines = Files.readAllLines(n3.logFile());
            long errors = logLines.stream().filter(l -> l.contains(" ERROR ")).count();
            long warnings = logLines.stream().filter(l -> l.contains(" WARN ")).count();
            System.out.printf("disk full: n3 logged %d ERROR and %d WARN lines%n", errors, warnings);
            logLines.stream().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")).limit(10).forEach(System.out::println);
            assertEquals(List.of(), logLines.stream().filter(l -> l.contains("unexpected failure")
                    || l.contains("replica message failed")).toList(), "each refusal logged as if unexpected");

            // make room, restart n3 on the same files: every write it acknowledged is there
            n3.terminate();
            run(List.of("mount", "-o", "remount,size=64m", disk.toString()));
            n3.start();
            cluster.awaitReady(n3);
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                KeyRecord record = cluster.replicaRecord(n3, "full", e.getKey());
                if (record == null || !Arrays.equals(e.getValue(), onlyValue(record))) {
                    missing.add(e.getKey());
                }
            }
            System.out.printf("disk full: after room was made and n3 restarted, %d of %d acknowledged writes missing%n",
                    missing.size(), acked.size());
            assertEquals(List.of(), missing, "writes n3 acknowledged before its disk filled, missing after its restart");
            HttpResponse<byte[]> again = cluster.send("PUT", n3.url() + "/kv/full/again?consistency=ALL",
                    "room again".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
            assertEquals(204, again.statusCode(), body(again));
        } catch (Throwable t) {
            try {
                unmount(disk);
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        unmount(disk);
    }

    private static byte[] onlyValue(KeyRecord record) {
        List<Sibling> siblings = record.siblings();
        return siblings.size() == 1 && !siblings.get(0).tombstone() ? siblings.get(0).value() : null;
    }

    private static void assertProblem(HttpResponse<byte[]> r, String detailContains) {
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), body(r));
        assertTrue(body(r).contains(detailContains), "expected \"" + detailContains + "\" in " + body(r));
    }

    private static String body(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Mounts a small tmpfs on {@code dir}; skips (or fails in CI) where that is not allowed. */
    private static void mountOrSkip(Path dir) throws IOException, InterruptedException {
        String output;
        int exit;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + DISK_SIZE, "tmpfs", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolveSibling("mount.out").toFile()).start();
            if (p.waitFor(10, TimeUnit.SECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(5, TimeUnit.SECONDS); // in case it got there
                exit = -1;
            }
            output = Files.readString(dir.resolveSibling("mount.out")).trim();
        } catch (IOException e) {
            output = e.getMessage();
            exit = -1;
        }
        if (exit != 0) {
            String why = "cannot mount a tmpfs to fill (needs root): " + output;
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(why + " (CI=true, so this is a failure)");
            }
            System.out.println("[disk full] SKIPPED: " + why);
            Assumptions.abort(why);
        }
    }

    private static void run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + output);
        }
    }

    private static void unmount(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            run(List.of("umount", "-l", dir.toString())); // still busy: detach it now, freed when the last user goes
        }
    }
}
