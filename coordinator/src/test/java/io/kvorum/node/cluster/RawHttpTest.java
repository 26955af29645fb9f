package io.kvorum.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests no HTTP library would send, written byte for byte on a socket: each gets a 400
 * problem+json (never a 500, a silently stored empty value or a smuggled second request), and a
 * connection that stalls is closed after httpIdleTimeoutMillis.
 */
class RawHttpTest {
    @TempDir
    static Path data;
    static TestCluster cluster;
    static String host;
    static int port;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(data, 1, Map.of("defaultTimeoutMillis", "1000", "maxTimeoutMillis", "2000",
                "httpIdleTimeoutMillis", "3000"));
        URI uri = URI.create(cluster.url(0));
        host = uri.getHost();
        port = uri.getPort();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    /** Sends the bytes and reads until the server closes the connection (at most 10 s). */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(readToEnd(socket.getInputStream()), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void assertProblem400(String response, String detailPart) {
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
        assertEquals(1, Pattern.compile("(?m)^HTTP/1\\.[01] \\d{3}").matcher(response).results().count(),
                () -> "one response only: " + response);
        JsonNode problem = TestCluster.json(response.substring(response.indexOf("\r\n\r\n") + 4)
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(problem.path("detail").asText().contains(detailPart), problem.toString());
        assertFalse(problem.path("requestId").asText().isEmpty(), problem.toString());
        assertTrue(response.contains("X-Request-Id: " + problem.path("requestId").asText())
                || response.contains("x-request-id: " + problem.path("requestId").asText()), response);
    }

    @Test
    void aMissingOrBadHostIs400NotA500() throws IOException {
        assertProblem400(exchange("GET /health HTTP/1.1\r\n\r\n"), "Host");
        assertProblem400(exchange("PUT /kv/nohost/k HTTP/1.1\r\nContent-Length: 1\r\n\r\nv"), "Host");
        assertProblem400(exchange("GET /health HTTP/1.1\r\nHost: a b\r\n\r\n"), "host[:port]");
        assertProblem400(exchange("GET /health HTTP/1.1\r\nHost: x:99999999\r\n\r\n"), "host[:port]");
        assertEquals(404, cluster.send("GET", cluster.url(0) + "/kv/nohost/k", null, Map.of()).statusCode(),
                "the refused PUT stored nothing");
        String http10 = exchange("GET /health HTTP/1.0\r\n\r\n");
        assertTrue(http10.startsWith("HTTP/1.0 200"), http10);
    }

    @Test
    void aTransferEncodingOtherThanChunkedIsRefusedAndNothingIsSmuggled() throws IOException {
        String victim = cluster.url(0) + "/kv/te/victim";
        assertEquals(204, cluster.send("PUT", victim, "keep".getBytes(), Map.of()).statusCode());
        String response = exchange("PUT /kv/te/k4 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
                + "DELETE /kv/te/victim HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblem400(response, "Transfer-Encoding");
        assertEquals(404, cluster.send("GET", cluster.url(0) + "/kv/te/k4", null, Map.of()).statusCode(),
                "no empty value was stored");
        assertEquals(200, cluster.send("GET", victim, null, Map.of()).statusCode(), "the smuggled DELETE did not run");
        String chunked = exchange("PUT /kv/te/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertTrue(chunked.startsWith("HTTP/1.1 204"), chunked);
    }

    @Test
    void aRawNonAsciiKeyIs400InsteadOfBeingStoredUnderOtherBytes() throws IOException {
        assertProblem400(exchange("GET /kv/utf/\u00c3\u00a9 HTTP/1.1\r\nHost: x\r\n\r\n"), "percent-encode");
        assertProblem400(exchange("PUT /kv/utf/a\u0001b HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv"),
                "percent-encode");
    }

    @Test
    void theSecretIsCheckedBeforeAnythingElseUnderInternal() throws IOException {
        String response = exchange("GET /internal/v1/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 401"), response);
        assertTrue(response.contains("cluster secret"), response);
    }

    @Test
    void anExpectationOtherThanContinueIs417() throws IOException {
        String response = exchange("PUT /kv/expect/k HTTP/1.1\r\nHost: x\r\nExpect: banana\r\n"
                + "Content-Length: 1\r\nConnection: close\r\n\r\nv");
        assertTrue(response.startsWith("HTTP/1.1 417"), response);
        assertTrue(response.contains("100-continue"), response);
        assertEquals(404, cluster.send("GET", cluster.url(0) + "/kv/expect/k", null, Map.of()).statusCode());
    }

    @Test
    void aContextHeaderGivenTwiceIsRefused() throws IOException {
        String response = exchange("PUT /kv/dup/k HTTP/1.1\r\nHost: x\r\nX-Kvorum-Context: AQA\r\n"
                + "X-Kvorum-Context: !!bad\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv");
        assertProblem400(response, "given 2 times");
        assertEquals(404, cluster.send("GET", cluster.url(0) + "/kv/dup/k", null, Map.of()).statusCode());
    }

    @Test
    void aProblemBeforeAnyRouteStillHasARequestId() throws IOException {
        String response = exchange("GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.matches("(?s)HTTP/1\\.1 4\\d\\d.*"), response);
        JsonNode problem = TestCluster.json(response.substring(response.indexOf("\r\n\r\n") + 4)
                .getBytes(StandardCharsets.UTF_8));
        assertFalse(problem.path("requestId").asText().isEmpty(), response);
    }

    @Test
    void whatTheDecoderCannotReadIsAnsweredAsProblemJson() throws IOException {
        String longTarget = exchange("GET /kv/b/" + "k".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(longTarget.matches("(?s)HTTP/1\\.[01] 414.*"), longTarget);
        assertTrue(longTarget.contains("httpMaxInitialLineLength"), longTarget);
        String bigHeader = exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
        assertTrue(bigHeader.matches("(?s)HTTP/1\\.[01] 431.*"), bigHeader);
        assertTrue(bigHeader.contains("httpMaxHeaderSize"), bigHeader);
        for (String malformed : new String[] {"GARBAGE\r\n\r\n",
                "PUT /kv/b/k HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"}) {
            String response = exchange(malformed);
            assertTrue(response.startsWith("HTTP/1.1 400") || response.startsWith("HTTP/1.0 400"), response);
            assertTrue(response.toLowerCase().contains("application/problem+json"), response);
            assertTrue(response.contains("malformed HTTP request"), response);
        }
    }

    @Test
    void aConnectionThatStallsMidBodyIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("PUT /kv/slow/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
                    .getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            try {
                readToEnd(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stalled connection was still open after 15 s", e);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 2_500 && millis < 12_000, "closed after " + millis + " ms, httpIdleTimeoutMillis=3000");
        }
        assertEquals(404, cluster.send("GET", cluster.url(0) + "/kv/slow/k", null, Map.of()).statusCode(),
                "the partial body was not stored");
    }
}
