package io.kvorum.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvorum.node.http.KeyPath;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.ring.KeyHasher;
import io.kvorum.ring.Partitioner;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Acceptor;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosCodec;
import io.kvorum.storage.paxos.Proposal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compare-and-set, SERIAL reads and leases on a real 3-node cluster in this JVM over HTTP. */
class CasClusterTest {
    static final int PARTITIONS = 256;
    /** Racing requests get a long deadline: the machine running the tests may be busy. */
    static final String RACE = "timeout=20000";
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

    static HttpResponse<byte[]> send(String method, String url, String body, Map<String, String> headers) {
        return cluster.send(method, url, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static <T> List<T> race(int threads, List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = pool.invokeAll(tasks, 120, TimeUnit.SECONDS);
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ifNoneMatchCreatesOnceUnderARaceAndTheLosersGet412WithTheCurrentEtag() throws Exception {
        String key = unique("create-once");
        List<Callable<HttpResponse<byte[]>>> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            tasks.add(() -> send("PUT", kv(n % 3, "cas", key, RACE), "writer-" + n,
                    Map.of("If-None-Match", "*", "Content-Type", "text/plain")));
        }
        List<HttpResponse<byte[]>> responses = race(12, tasks);
        List<HttpResponse<byte[]>> created = responses.stream().filter(r -> r.statusCode() == 204).toList();
        assertEquals(1, created.size(), () -> responses.stream().map(r -> r.statusCode() + " " + text(r)).toList().toString());
        String etag = header(created.get(0), "ETag");
        for (HttpResponse<byte[]> r : responses) {
            if (r.statusCode() == 204) {
                continue;
            }
            assertEquals(412, r.statusCode(), text(r));
            assertEquals("application/problem+json", header(r, "Content-Type"));
            assertEquals(etag, header(r, "ETag"));
            JsonNode problem = TestCluster.json(r.body());
            assertEquals(etag, "\"" + problem.path("currentEtag").asText() + "\"");
        }
        HttpResponse<byte[]> read = send("GET", kv(1, "cas", key, "consistency=SERIAL"), null, Map.of());
        assertEquals(200, read.statusCode());
        assertEquals(etag, header(read, "ETag"));
        assertEquals(etag, header(send("GET", kv(2, "cas", key, "consistency=QUORUM"), null, Map.of()), "ETag"),
                "a plain quorum read sees the committed value");
    }

    @Test
    void ifMatchPreventsLostUpdatesUnderConcurrentIncrements() throws Exception {
        String key = unique("counter");
        assertEquals(204, send("PUT", kv(0, "cas", key, ""), "0", Map.of("If-None-Match", "*")).statusCode());
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            tasks.add(() -> {
                for (int done = 0; done < 5; ) {
                    HttpResponse<byte[]> r = send("GET", kv(client % 3, "cas", key, "consistency=SERIAL&" + RACE), null, Map.of());
                    assertEquals(200, r.statusCode(), text(r));
                    int value = Integer.parseInt(text(r));
                    HttpResponse<byte[]> w = send("PUT", kv((client + 1) % 3, "cas", key, RACE),
                            Integer.toString(value + 1), Map.of("If-Match", header(r, "ETag")));
                    if (w.statusCode() == 204) {
                        applied.incrementAndGet();
                        done++;
                    } else {
                        assertEquals(412, w.statusCode(), text(w));
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            });
        }
        race(4, tasks);
        HttpResponse<byte[]> end = send("GET", kv(2, "cas", key, "consistency=SERIAL"), null, Map.of());
        assertEquals(20, applied.get());
        assertEquals(Integer.toString(applied.get()), text(end), "conflicts seen: " + conflicts.get());
    }

    @Test
    void conditionalDeleteAndWriteByCasWithoutCondition() {
        String key = unique("del");
        HttpResponse<byte[]> w = send("PUT", kv(0, "cas", key, "consistency=SERIAL"), "v1", Map.of());
        assertEquals(204, w.statusCode(), text(w));
        assertTrue(header(w, "X-Kvorum-Paxos").contains("roundTrips=3"), header(w, "X-Kvorum-Paxos"));
        HttpResponse<byte[]> stale = send("DELETE", kv(1, "cas", key, ""), null, Map.of("If-Match", "\"0000000000000000\""));
        assertEquals(412, stale.statusCode());
        assertEquals(header(w, "ETag"), header(stale, "ETag"));
        assertEquals(204, send("DELETE", kv(1, "cas", key, ""), null, Map.of("If-Match", header(w, "ETag"))).statusCode());
        HttpResponse<byte[]> gone = send("GET", kv(2, "cas", key, "consistency=SERIAL"), null, Map.of());
        assertEquals(404, gone.statusCode());
        HttpResponse<byte[]> ifMatchAbsent = send("PUT", kv(2, "cas", key, ""), "x", Map.of("If-Match", "*"));
        assertEquals(412, ifMatchAbsent.statusCode());
        assertNull(header(ifMatchAbsent, "ETag"));
        assertTrue(TestCluster.json(ifMatchAbsent.body()).path("currentEtag").isNull());
        assertEquals(204, send("PUT", kv(2, "cas", key, ""), "again", Map.of("If-None-Match", "*")).statusCode(),
                "a deleted key counts as absent");
    }

    /** Prepare and accept {@code value} on node {@code at} only, as a proposer that then died would. */
    static void acceptOnlyAt(int at, String bucket, String key, String value) throws Exception {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        StorageKey sk = new StorageKey(new Partitioner(PARTITIONS).partitionOf(KeyHasher.token(bucket, k)), bucket, k);
        Ballot ballot = Ballot.of(System.currentTimeMillis(), 0, "n-dead");
        Sibling s = Sibling.of(value.getBytes(StandardCharsets.UTF_8), "text/plain", ballot.stamp());
        Proposal p = Proposal.of(ballot, new io.kvorum.storage.CausalRecord(
                io.kvorum.storage.DvvSet.empty().update(io.kvorum.storage.VersionVector.empty(), s, "n-dead")));
        HttpResponse<byte[]> promise = cluster.send("POST", cluster.url(at) + "/internal/v1/paxos/prepare",
                PaxosCodec.encodePrepare(sk, ballot), Map.of(HttpInternalClient.SECRET_HEADER, TestCluster.SECRET));
        assertEquals(200, promise.statusCode());
        assertEquals(Acceptor.PrepareOutcome.PROMISED, PaxosCodec.decodePromise(promise.body()).reply().outcome());
        HttpResponse<byte[]> accept = cluster.send("POST", cluster.url(at) + "/internal/v1/paxos/propose",
                PaxosCodec.encodeKeyedProposal(sk, p), Map.of(HttpInternalClient.SECRET_HEADER, TestCluster.SECRET));
        assertEquals(Acceptor.AcceptOutcome.ACCEPTED, PaxosCodec.decodeAccept(accept.body()).outcome());
    }

    @Test
    void serialReadsAfterAnAcceptThatReachedOneAcceptorAgreeAcrossRestarts() throws Exception {
        String key = unique("ghost");
        acceptOnlyAt(2, "cas", key, "ghost");
        cluster.stopNode(2); // the first read's quorum cannot include the acceptor that holds it
        HttpResponse<byte[]> first = send("GET", kv(0, "cas", key, "consistency=SERIAL"), null, Map.of());
        cluster.startNode(2);
        cluster.awaitStatus(0, 2, "UP");
        cluster.awaitStatus(1, 2, "UP");
        cluster.stopNode(1); // the second read's quorum must include it
        HttpResponse<byte[]> second = send("GET", kv(0, "cas", key, "consistency=SERIAL"), null, Map.of());
        cluster.startNode(1);
        assertEquals(first.statusCode(), second.statusCode(), text(first) + " / " + text(second));
        assertEquals(404, first.statusCode(), "the value was fenced by the first SERIAL read");
    }

    @Test
    void whateverTheFirstSerialReadOfAnInFlightValueAnswersEveryLaterReadAgrees() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            String key = unique("in-flight");
            acceptOnlyAt(1, "cas", key, "seen");
            // Its quorum may or may not include node 1: it completes the value or fences it.
            HttpResponse<byte[]> first = send("GET", kv(1, "cas", key, "consistency=SERIAL"), null, Map.of());
            assertTrue(first.statusCode() == 200 || first.statusCode() == 404, text(first));
            for (int node = 0; node < 3; node++) {
                HttpResponse<byte[]> again = send("GET", kv(node, "cas", key, "consistency=SERIAL"), null, Map.of());
                assertEquals(first.statusCode(), again.statusCode(), text(again));
                assertEquals(text(first.statusCode() == 200 ? first : again), text(again));
            }
            if (first.statusCode() == 200) {
                assertEquals("seen", text(first));
                assertEquals("seen", text(send("GET", kv(0, "cas", key, "consistency=ALL"), null, Map.of())),
                        "the completion was committed to every replica");
            }
        }
    }

    @Test
    void racingClientsNeverBothHoldALeaseAndTokensStrictlyIncrease() throws Exception {
        String lock = unique("lock");
        AtomicReference<String> holder = new AtomicReference<>();
        AtomicLong lastToken = new AtomicLong();
        List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            tasks.add(() -> {
                String me = "client-" + client;
                for (int held = 0; held < 3; ) {
                    HttpResponse<byte[]> r = send("POST", cluster.url(client % 3) + "/locks/" + lock + "?ttl=30&" + RACE,
                            null, Map.of());
                    if (r.statusCode() == 409) {
                        assertNotNull(TestCluster.json(r.body()).path("expiresAt"));
                        Thread.sleep(5);
                        continue;
                    }
                    assertEquals(201, r.statusCode(), text(r));
                    long token = TestCluster.json(r.body()).path("token").asLong();
                    String previous = holder.getAndSet(me);
                    if (previous != null) {
                        violations.add(me + " acquired while " + previous + " held the lease");
                    }
                    long before = lastToken.getAndSet(token);
                    if (token <= before) {
                        violations.add("token " + token + " after " + before);
                    }
                    tokens.add(token);
                    HttpResponse<byte[]> renew = send("PUT", cluster.url((client + 1) % 3) + "/locks/" + lock
                            + "?token=" + token + "&ttl=30&" + RACE, null, Map.of());
                    assertEquals(200, renew.statusCode(), text(renew));
                    holder.set(null);
                    HttpResponse<byte[]> release;
                    do { // a 504 may or may not have released: ask again; 409 means another holder came since
                        release = send("DELETE", cluster.url((client + 2) % 3) + "/locks/" + lock
                                + "?token=" + token + "&" + RACE, null, Map.of());
                    } while (release.statusCode() == 504);
                    assertTrue(release.statusCode() == 204 || release.statusCode() == 409, text(release));
                    held++;
                }
                return null;
            });
        }
        race(4, tasks);
        assertEquals(List.of(), violations);
        assertEquals(12, tokens.size());
        assertEquals(12L, tokens.stream().distinct().count());

        long last = lastToken.get();
        HttpResponse<byte[]> staleRenew = send("PUT", cluster.url(0) + "/locks/" + lock + "?token=" + (last - 1) + "&ttl=5",
                null, Map.of());
        assertEquals(409, staleRenew.statusCode(), text(staleRenew));
        assertEquals("application/problem+json", header(staleRenew, "Content-Type"));
        HttpResponse<byte[]> renewReleased = send("PUT", cluster.url(0) + "/locks/" + lock + "?token=" + last,
                null, Map.of());
        assertEquals(409, renewReleased.statusCode(), "a released lease cannot be renewed");
        HttpResponse<byte[]> next = send("POST", cluster.url(1) + "/locks/" + lock + "?ttl=30", null, Map.of());
        assertEquals(201, next.statusCode());
        assertEquals(last + 1, TestCluster.json(next.body()).path("token").asLong());
        HttpResponse<byte[]> held = send("POST", cluster.url(2) + "/locks/" + lock + "?ttl=30", null, Map.of());
        assertEquals(409, held.statusCode());
        assertEquals(TestCluster.json(next.body()).path("expiresAt").asLong(),
                TestCluster.json(held.body()).path("expiresAt").asLong());
        assertNotNull(header(held, "Retry-After"));
        assertEquals(409, send("DELETE", cluster.url(0) + "/locks/" + lock + "?token=999999", null, Map.of())
                .statusCode(), "an unknown token");
        HttpResponse<byte[]> status = send("GET", cluster.url(0) + "/locks/" + lock, null, Map.of());
        assertEquals(last + 1, TestCluster.json(status.body()).path("token").asLong());
    }

    @Test
    void casRoundTripsAndLatencyBesideAPlainQuorumWrite() {
        int n = 50;
        String prefix = unique("lat");
        long casNanos = 0;
        long plainNanos = 0;
        String receipt = null;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> c = send("PUT", kv(0, "cas", prefix + "-c" + i, ""), "v", Map.of("If-None-Match", "*"));
            long t1 = System.nanoTime();
            HttpResponse<byte[]> p = send("PUT", kv(0, "cas", prefix + "-p" + i, "consistency=QUORUM"), "v", Map.of());
            long t2 = System.nanoTime();
            assertEquals(204, c.statusCode());
            assertEquals(204, p.statusCode());
            casNanos += t1 - t0;
            plainNanos += t2 - t1;
            receipt = header(c, "X-Kvorum-Paxos");
        }
        assertEquals("attempts=1; roundTrips=3; calls=9", receipt);
        String metrics = text(send("GET", cluster.url(0) + "/metrics", null, Map.of()));
        assertTrue(metrics.contains("kvorum_cas_outcomes_total{node=\"n1\",outcome=\"applied\"}"), metrics);
        assertTrue(metrics.contains("kvorum_cas_attempts_count{node=\"n1\"}"), metrics);
        System.out.printf("uncontended CAS: %s; mean %.2f ms; plain QUORUM PUT mean %.2f ms (%d each)%n", receipt,
                casNanos / 1e6 / n, plainNanos / 1e6 / n, n);
    }
}
