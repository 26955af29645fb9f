package io.kvorum.system.nemesis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackClientTest {
    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();
    private ServerSocket server;
    private final LoopbackClient client =
            new LoopbackClient(LoopbackClient.DEFAULT_SOURCE, Duration.ofSeconds(2), Duration.ofMillis(1500));

    /** What the fake server saw: the client's address and the raw request. */
    record Seen(String remoteAddress, String request) {
    }

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serverThread.shutdownNow();
        assertTrue(serverThread.awaitTermination(10, TimeUnit.SECONDS));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Accepts one connection, reads the request, answers {@code response} (null: never answers) and closes. */
    private CompletableFuture<Seen> serveOnce(String response) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                String request = readRequest(s.getInputStream());
                if (response == null) {
                    s.getInputStream().read(); // hold the connection until the client gives up
                } else {
                    s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
                return new Seen(((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().getHostAddress(), request);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, serverThread);
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = h.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void connectsFromItsOwnSourceAddressAndSendsAWellFormedRequest() throws Exception {
        CompletableFuture<Seen> seen = serveOnce("HTTP/1.1 204 No Content\r\nX-Kvorum-Quorum: required=2; acked=2\r\n\r\n");

        HttpReply r = client.send("PUT", base() + "/kv/b/a%2Fkey?consistency=QUORUM&timeout=2000",
                "hello".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));

        assertEquals(204, r.status());
        assertEquals("required=2; acked=2", r.header("X-Kvorum-Quorum"));
        Seen s = seen.get(10, TimeUnit.SECONDS);
        assertEquals("127.0.0.100", s.remoteAddress());
        assertTrue(s.request().startsWith("PUT /kv/b/a%2Fkey?consistency=QUORUM&timeout=2000 HTTP/1.1\r\n"), s.request());
        assertTrue(s.request().contains("\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\n"), s.request());
        assertTrue(s.request().contains("\r\nConnection: close\r\n"), s.request());
        assertTrue(s.request().contains("\r\nContent-Type: text/plain\r\n"), s.request());
        assertTrue(s.request().endsWith("\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello")
                || s.request().endsWith("\r\n\r\nhello"), s.request());
    }

    @Test
    void readsContentLengthChunkedAndCloseDelimitedBodies() throws Exception {
        serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals("abc", client.get(base() + "/x").text());

        serveOnce("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"ap\r\n"
                + "0e;ext=1\r\nplied\":\"none\"}\r\n0\r\nTrailer: x\r\n\r\n");
        HttpReply chunked = client.get(base() + "/x");
        assertEquals(503, chunked.status());
        assertEquals("{\"applied\":\"none\"}", chunked.text());

        serveOnce("HTTP/1.1 200 OK\r\n\r\nuntil close");
        assertArrayEquals("until close".getBytes(StandardCharsets.UTF_8), client.get(base() + "/x").body());
    }

    @Test
    void aMalformedChunkedBodyIsAnError() {
        serveOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n");
        HttpCallException e = assertThrows(HttpCallException.class, () -> client.get(base() + "/x"));
        assertTrue(e.getMessage().contains("malformed chunked body"), e.getMessage());
    }

    @Test
    void aRefusedConnectionWasNeverSent() throws IOException {
        int port = server.getLocalPort();
        server.close();
        HttpCallException e = assertThrows(HttpCallException.class, () -> client.get("http://127.0.0.1:" + port + "/"));
        assertFalse(e.requestSent(), e.getMessage());
        assertTrue(e.getMessage().contains("from 127.0.0.100"), e.getMessage());
    }

    @Test
    void aResponseThatNeverComesIsAnIndeterminateTimeout() {
        serveOnce(null);
        long start = System.nanoTime();
        HttpCallException e = assertThrows(HttpCallException.class, () -> client.get(base() + "/slow"));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.requestSent(), e.getMessage());
        assertTrue(tookMillis >= 1400 && tookMillis < 5000, "gave up after " + tookMillis + " ms");
    }

    @Test
    void aConnectionClosedMidResponseIsIndeterminate() {
        serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        HttpCallException e = assertThrows(HttpCallException.class, () -> client.get(base() + "/x"));
        assertTrue(e.requestSent(), e.getMessage());
        assertTrue(e.getMessage().contains("3 of 10 body bytes"), e.getMessage());
    }
}
