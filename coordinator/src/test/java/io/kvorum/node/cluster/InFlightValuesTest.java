package io.kvorum.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxInFlightValueBytes: while one client is still sending a value, another value that would take
 * the node past the limit is refused with 503 problem+json and Retry-After, before its body is
 * read; once the first write is answered its bytes are given back and the next value is taken.
 */
class InFlightValuesTest {
    @TempDir
    static Path data;
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(data, 1, Map.of("maxValueBytes", "1000", "maxRecordBytes", "4000",
                "maxInFlightValueBytes", "1500"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aValueThatWouldPassTheLimitIsRefusedUntilTheOneInFlightIsDone() throws Exception {
        URI uri = URI.create(cluster.url(0));
        try (Socket slow = new Socket(uri.getHost(), uri.getPort())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            // 1000 bytes announced, 400 sent: the node holds the 1000 while it waits for the rest
            out.write(("PUT /kv/b/slow HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write("a".repeat(400).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // once the node has taken the slow value's 1000 bytes, 600 more no longer fit in 1500
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> put("probe", 600).statusCode() == 503);

            HttpResponse<byte[]> refused = put("second", 1000);
            String body = new String(refused.body(), StandardCharsets.UTF_8);
            assertEquals(503, refused.statusCode(), body);
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""), "tells when to retry");
            JsonNode problem = TestCluster.json(refused.body());
            assertTrue(problem.path("detail").asText().contains("maxInFlightValueBytes"), body);
            assertEquals(204, put("small", 400).statusCode(), "what still fits is taken: 1000 + 400 <= 1500");

            out.write("a".repeat(600).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = readHead(slow.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 204"), answer);
        }
        assertEquals(204, put("second", 1000).statusCode(), "the first value's bytes were given back");
        assertEquals(200, cluster.send("GET", cluster.url(0) + "/kv/b/slow", null, Map.of()).statusCode());
    }

    private static HttpResponse<byte[]> put(String key, int bytes) {
        return cluster.send("PUT", cluster.url(0) + "/kv/b/" + key, "v".repeat(bytes).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/plain"));
    }

    /** The status line and headers of one response. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
