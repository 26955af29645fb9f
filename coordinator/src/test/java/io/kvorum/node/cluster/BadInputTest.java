package io.kvorum.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvorum.ring.Node;
import io.kvorum.ring.gossip.GossipCodec;
import io.kvorum.ring.gossip.GossipState;
import io.kvorum.ring.gossip.MemberState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input listed in docs/api.md gets its documented 4xx as problem+json, never a 500. */
class BadInputTest {
    @TempDir
    static Path data;
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(data, 3, Map.of("maxValueBytes", "1000", "maxKeyBytes", "100",
                "maxRecordBytes", "2500"));
        cluster.awaitAllSeeAllUp();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static Stream<Arguments> badRequests() {
        String longKey = "k".repeat(101);
        return Stream.of(
                Arguments.of("bad bucket name", "GET", "/kv/bad$bucket/k", null, Map.of(), 400),
                Arguments.of("bucket name too long", "GET", "/kv/" + "b".repeat(65) + "/k", null, Map.of(), 400),
                Arguments.of("empty key", "GET", "/kv/b/", null, Map.of(), 400),
                Arguments.of("key too long", "PUT", "/kv/b/" + longKey, "v", Map.of(), 400),
                Arguments.of("unknown consistency level", "GET", "/kv/b/k?consistency=MOST", null, Map.of(), 400),
                Arguments.of("consistency above n", "PUT", "/kv/b/k?consistency=4", "v", Map.of(), 400),
                Arguments.of("zero consistency", "GET", "/kv/b/k?r=0", null, Map.of(), 400),
                Arguments.of("ANY is for writes only", "GET", "/kv/b/k?consistency=ANY", null, Map.of(), 400),
                Arguments.of("ANY needs hints", "PUT", "/kv/b/k?consistency=ANY&sloppy=false", "v", Map.of(), 400),
                Arguments.of("malformed If-Match", "PUT", "/kv/b/k", "v", Map.of("If-Match", "abc"), 400),
                Arguments.of("If-Match with a trailing comma", "PUT", "/kv/b/k", "v",
                        Map.of("If-Match", "\"abc\","), 400),
                Arguments.of("malformed If-None-Match", "DELETE", "/kv/b/k", null, Map.of("If-None-Match", "**"), 400),
                Arguments.of("the locks bucket under /kv", "GET", "/kv/_locks/k", null, Map.of(), 400),
                Arguments.of("the locks bucket under /buckets", "PUT", "/buckets/_locks", "{\"n\":1}", Map.of(), 400),
                Arguments.of("lock without ttl", "POST", "/locks/l", null, Map.of(), 400),
                Arguments.of("lock ttl zero", "POST", "/locks/l?ttl=0", null, Map.of(), 400),
                Arguments.of("lock ttl above the limit", "POST", "/locks/l?ttl=3601", null, Map.of(), 400),
                Arguments.of("lock ttl not a number", "POST", "/locks/l?ttl=soon", null, Map.of(), 400),
                Arguments.of("lock unknown parameter", "POST", "/locks/l?ttl=5&owner=me", null, Map.of(), 400),
                Arguments.of("renew without token", "PUT", "/locks/l", null, Map.of(), 400),
                Arguments.of("release with a bad token", "DELETE", "/locks/l?token=abc", null, Map.of(), 400),
                Arguments.of("release with a negative token", "DELETE", "/locks/l?token=-3", null, Map.of(), 400),
                Arguments.of("release of a lock never acquired", "DELETE", "/locks/never-acquired?token=1", null,
                        Map.of(), 404),
                Arguments.of("lock name too long", "POST", "/locks/" + longKey + "?ttl=5", null, Map.of(), 400),
                Arguments.of("PATCH on a lock", "PATCH", "/locks/l", null, Map.of(), 405),
                Arguments.of("consistency and alias disagree", "GET", "/kv/b/k?consistency=ONE&r=ALL", null, Map.of(), 400),
                Arguments.of("w alias on a read", "GET", "/kv/b/k?w=ONE", null, Map.of(), 400),
                Arguments.of("unknown parameter", "GET", "/kv/b/k?consitency=ONE", null, Map.of(), 400),
                Arguments.of("repeated parameter", "GET", "/kv/b/k?r=ONE&r=TWO", null, Map.of(), 400),
                Arguments.of("timeout not a number", "GET", "/kv/b/k?timeout=soon", null, Map.of(), 400),
                Arguments.of("timeout zero", "GET", "/kv/b/k?timeout=0", null, Map.of(), 400),
                Arguments.of("timeout above limit", "GET", "/kv/b/k?timeout=9999999", null, Map.of(), 400),
                Arguments.of("sloppy not boolean", "PUT", "/kv/b/k?sloppy=maybe", "v", Map.of(), 400),
                Arguments.of("bad context header", "PUT", "/kv/b/k", "v", Map.of("X-Kvorum-Context", "!!not-a-context"), 400),
                Arguments.of("value too large", "PUT", "/kv/b/k", "x".repeat(1001), Map.of(), 413),
                Arguments.of("POST on a key", "POST", "/kv/b/k", "v", Map.of(), 405),
                Arguments.of("unknown path", "GET", "/nope", null, Map.of(), 404),
                Arguments.of("bucket properties not JSON", "PUT", "/buckets/b", "{nope", Map.of(), 400),
                Arguments.of("bucket properties not an object", "PUT", "/buckets/b", "[1]", Map.of(), 400),
                Arguments.of("unknown bucket property", "PUT", "/buckets/b", "{\"colour\":\"red\"}", Map.of(), 400),
                Arguments.of("n zero", "PUT", "/buckets/b", "{\"n\":0}", Map.of(), 400),
                Arguments.of("n above cluster size", "PUT", "/buckets/b", "{\"n\":4}", Map.of(), 400),
                Arguments.of("r above n", "PUT", "/buckets/b", "{\"n\":2,\"r\":\"THREE\"}", Map.of(), 400),
                Arguments.of("bad conflict mode", "PUT", "/buckets/b", "{\"conflict\":\"merge\"}", Map.of(), 400),
                Arguments.of("bad sloppy", "PUT", "/buckets/b", "{\"sloppy\":\"yes\"}", Map.of(), 400),
                Arguments.of("bad maxSiblings", "PUT", "/buckets/b", "{\"maxSiblings\":0}", Map.of(), 400),
                Arguments.of("ANY and its alias ONE disagree", "PUT", "/kv/b/k?w=ANY&consistency=ONE", "v", Map.of(), 400),
                Arguments.of("ONE and its alias ANY disagree", "PUT", "/kv/b/k?w=ONE&consistency=ANY", "v", Map.of(), 400),
                Arguments.of("unknown query parameter on GET /buckets", "GET", "/buckets/b?foo=1", null, Map.of(), 400),
                Arguments.of("unknown query parameter on PUT /buckets", "PUT", "/buckets/b?foo=1", "{\"n\":3}", Map.of(), 400),
                Arguments.of("content after the JSON object", "PUT", "/buckets/b", "{\"n\":3} trailing", Map.of(), 400),
                Arguments.of("two JSON objects", "PUT", "/buckets/b", "{\"n\":3}{\"n\":2}", Map.of(), 400),
                Arguments.of("a property given twice", "PUT", "/buckets/b", "{\"n\":2,\"n\":3}", Map.of(), 400),
                Arguments.of("r as an array", "PUT", "/buckets/b", "{\"r\":[1]}", Map.of(), 400),
                Arguments.of("w as ANY", "PUT", "/buckets/b", "{\"w\":\"ANY\"}", Map.of(), 400),
                Arguments.of("r as SERIAL", "PUT", "/buckets/b", "{\"r\":\"SERIAL\"}", Map.of(), 400),
                Arguments.of("bad bucket name on properties", "GET", "/buckets/b%24d", null, Map.of(), 400),
                Arguments.of("internal API without secret", "POST", "/internal/v1/read", "x", Map.of(), 401),
                Arguments.of("batch without secret", "POST", "/internal/v1/batch", "x", Map.of(), 401),
                Arguments.of("batch body not a batch", "POST", "/internal/v1/batch", "x",
                        Map.of("X-Kvorum-Secret", TestCluster.SECRET), 400),
                Arguments.of("batch without a body", "POST", "/internal/v1/batch", null,
                        Map.of("X-Kvorum-Secret", TestCluster.SECRET), 400),
                Arguments.of("shutdown announcement not a gossip table", "POST", "/internal/v1/gossip/shutdown", "x",
                        Map.of("X-Kvorum-Secret", TestCluster.SECRET), 400),
                Arguments.of("internal API with wrong secret", "GET", "/internal/v1/ping", null,
                        Map.of("X-Kvorum-Secret", "guess"), 401),
                Arguments.of("DELETE on admin", "DELETE", "/admin/cluster", null, Map.of(), 405));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsItsDocumentedStatusAsProblemJson(String name, String method, String path, String body,
                                                      Map<String, String> headers, int status) {
        HttpResponse<byte[]> r = cluster.send(method, cluster.url(0) + path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
        assertEquals(status, r.statusCode(), () -> name + ": " + new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = TestCluster.json(r.body());
        assertEquals(status, problem.path("status").asInt());
        assertFalse(problem.path("detail").asText().isBlank(), "detail must say what is wrong");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/kv/b/%zz", "/kv/b/%4", "/kv/b/k?r=%q1"})
    void badPercentEncodingIsA400ProblemJson(String path) throws Exception {
        // java.net.URI refuses such paths, so this request goes over a plain socket.
        int port = Integer.parseInt(cluster.url(0).substring(cluster.url(0).lastIndexOf(':') + 1));
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
            assertTrue(response.contains("\"detail\""), response);
        }
    }

    @Test
    void aShutdownAnnouncementMustNameExactlyOneMember() {
        GossipState two = new GossipState(Map.of(
                "x", new MemberState(Node.parse("x@127.0.0.9:1"), 1, 5, 0),
                "y", new MemberState(Node.parse("y@127.0.0.10:1"), 1, 5, 0)), Map.of());
        HttpResponse<byte[]> r = cluster.send("POST", cluster.url(0) + "/internal/v1/gossip/shutdown",
                GossipCodec.encode(two), Map.of("X-Kvorum-Secret", TestCluster.SECRET));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(400, r.statusCode(), body);
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(body.contains("exactly one member"), body);
    }

    @Test
    void aClientRequestIdIsEchoedAndNamedInTheErrorBody() {
        HttpResponse<byte[]> r = cluster.send("GET", cluster.url(0) + "/kv/b/k?consistency=MOST", null,
                Map.of("X-Request-Id", "trace-42"));
        assertEquals(400, r.statusCode());
        assertEquals("trace-42", r.headers().firstValue("X-Request-Id").orElse(""));
        assertEquals("trace-42", TestCluster.json(r.body()).path("requestId").asText());
        HttpResponse<byte[]> generated = cluster.send("GET", cluster.url(1) + "/nope", null, Map.of());
        String id = generated.headers().firstValue("X-Request-Id").orElse("");
        assertFalse(id.isBlank());
        assertEquals(id, TestCluster.json(generated.body()).path("requestId").asText());
    }

    @Test
    void theSiblingCapRefusesAWriteWith409AndTellsHowToResolve() {
        assertEquals(200, cluster.send("PUT", cluster.url(0) + "/buckets/capped",
                "{\"maxSiblings\":2}".getBytes(StandardCharsets.UTF_8), Map.of()).statusCode());
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(10)).until(() -> TestCluster.json(
                    cluster.send("GET", cluster.url(n) + "/buckets/capped", null, Map.of()).body())
                    .path("maxSiblings").asInt() == 2);
        }
        String url = cluster.url(0) + "/kv/capped/k?consistency=ALL";
        assertEquals(204, cluster.send("PUT", url, "a".getBytes(), Map.of()).statusCode());
        assertEquals(204, cluster.send("PUT", url, "b".getBytes(), Map.of()).statusCode());
        HttpResponse<byte[]> third = cluster.send("PUT", url, "c".getBytes(), Map.of());
        assertEquals(409, third.statusCode(), () -> new String(third.body()));
        JsonNode problem = TestCluster.json(third.body());
        assertTrue(problem.path("detail").asText().contains("X-Kvorum-Context"), problem.toString());
        assertEquals(2, problem.path("limit").asInt());
        HttpResponse<byte[]> read = cluster.send("GET", url, null, Map.of());
        assertEquals(300, read.statusCode());
        assertEquals(2, TestCluster.json(read.body()).path("siblings").size());
    }

    @Test
    void theRecordByteCapRefusesAWriteWith409AndTheKeyCanStillBeResolved() {
        String url = cluster.url(1) + "/kv/bigsiblings/k?consistency=ALL";
        byte[] value = "v".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertEquals(204, cluster.send("PUT", url, value, Map.of()).statusCode());
        assertEquals(204, cluster.send("PUT", url, value, Map.of()).statusCode());
        HttpResponse<byte[]> third = cluster.send("PUT", url, value, Map.of()); // 3000 bytes > 2500
        assertEquals(409, third.statusCode(), () -> new String(third.body()));
        JsonNode problem = TestCluster.json(third.body());
        assertTrue(problem.path("detail").asText().contains("maxRecordBytes"), problem.toString());
        assertTrue(problem.path("detail").asText().contains("X-Kvorum-Context"), problem.toString());
        assertEquals(3000, problem.path("bytes").asLong());
        assertEquals(2500, problem.path("limit").asLong());
        assertEquals(3, problem.path("siblings").asInt());

        HttpResponse<byte[]> read = cluster.send("GET", url, null, Map.of());
        assertEquals(300, read.statusCode());
        assertEquals(2, TestCluster.json(read.body()).path("siblings").size());
        String context = read.headers().firstValue("X-Kvorum-Context").orElseThrow();
        assertEquals(204, cluster.send("PUT", url, value, Map.of("X-Kvorum-Context", context)).statusCode());
        HttpResponse<byte[]> resolved = cluster.send("GET", url, null, Map.of());
        assertEquals(200, resolved.statusCode());
        assertEquals(1000, resolved.body().length);
    }

    @Test
    void concurrentWritesThroughEveryNodeStayWithinNTimesTheRecordByteCap() throws Exception {
        byte[] value = "c".repeat(1000).getBytes(StandardCharsets.UTF_8);
        ExecutorService clients = Executors.newFixedThreadPool(15);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                String url = cluster.url(i % 3) + "/kv/racing/k";
                statuses.add(clients.submit(() -> cluster.send("PUT", url, value, Map.of()).statusCode()));
            }
            Map<Integer, Integer> counts = new HashMap<>();
            for (Future<Integer> status : statuses) {
                counts.merge(status.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            assertEquals(Set.of(204, 409), counts.keySet(), counts::toString);
        } finally {
            clients.shutdownNow();
        }
        // each origin accepts its own writes only while its own view is within the cap, so with
        // n = 3 origins the key ends with at most 3 x maxRecordBytes (2500) of values
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            long first = valueBytesAtAll(0);
            return valueBytesAtAll(1) == first && valueBytesAtAll(2) == first;
        });
        long bytes = valueBytesAtAll(0);
        // two values always fit under the cap; a third would not on one origin
        assertTrue(bytes >= 2000 && bytes <= 3 * 2500, "the key holds " + bytes + " bytes of values");
        for (int node = 0; node < 3; node++) {
            assertEquals(200, cluster.send("GET", cluster.url(node) + "/ready", null, Map.of()).statusCode());
        }
    }

    private static long valueBytesAtAll(int node) {
        HttpResponse<byte[]> read = cluster.send("GET", cluster.url(node) + "/kv/racing/k?consistency=ALL", null, Map.of());
        assertEquals(300, read.statusCode(), () -> new String(read.body()));
        long bytes = 0;
        for (JsonNode sibling : TestCluster.json(read.body()).path("siblings")) {
            bytes += Base64.getDecoder().decode(sibling.path("value").asText()).length;
        }
        return bytes;
    }

    @Test
    void bucketConsistencyDefaultsSayWhatIsWrong() {
        String url = cluster.url(0) + "/buckets/levels";
        HttpResponse<byte[]> any = cluster.send("PUT", url, "{\"w\":\"ANY\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertTrue(TestCluster.json(any.body()).path("detail").asText().contains("chosen per request"),
                () -> new String(any.body()));
        HttpResponse<byte[]> array = cluster.send("PUT", url, "{\"r\":[1]}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertTrue(TestCluster.json(array.body()).path("detail").asText().contains("must be a consistency level"),
                () -> new String(array.body()));
        assertEquals(200, cluster.send("PUT", url, "{\"r\":2,\"w\":\"all\"}".getBytes(StandardCharsets.UTF_8),
                Map.of()).statusCode());
    }
}
