package io.kvorum.system.nemesis;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.history.Event;
import io.kvorum.system.history.FinalRead;
import io.kvorum.system.history.History;
import io.kvorum.system.history.Op;
import io.kvorum.system.history.Operation;
import io.kvorum.system.history.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests become history entries with the right outcome (against a scripted fake node). */
class WorkloadClientTest {
    @TempDir
    Path tmp;
    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();
    private final History history = new History();
    private final WorkloadClient kv = new WorkloadClient(
            new LoopbackClient(LoopbackClient.DEFAULT_SOURCE, Duration.ofSeconds(1), Duration.ofMillis(700)), history);
    private ServerSocket server;
    private NodeProcess fakeNode;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        fakeNode = new NodeProcess("n1", "127.0.0.1", server.getLocalPort(), tmp, "", List.of());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serverThread.shutdownNow();
        assertTrue(serverThread.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Answers one request with {@code response} (null: never answers); completes with the request line. */
    private CompletableFuture<String> answer(String response) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                String head = readHead(s.getInputStream());
                if (response == null) {
                    s.getInputStream().readAllBytes(); // the body, then wait until the client gives up
                } else {
                    s.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
                }
                return head.lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, serverThread);
    }

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

    private static String problem(int status, String applied) {
        String body = "{\"status\":" + status + ",\"applied\":\"" + applied + "\"}";
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/problem+json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void recordsEachWriteWithTheOutcomeItsReplyMeans() throws Exception {
        CompletableFuture<String> line = answer("HTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(Outcome.OK, kv.write("w0", fakeNode, "b", "key one+", "v0", "QUORUM", 2000));
        assertEquals("PUT /kv/b/key%20one%2B?consistency=QUORUM&timeout=2000 HTTP/1.1", line.get(5, TimeUnit.SECONDS));
        answer(problem(503, "none"));
        assertEquals(Outcome.FAIL, kv.write("w0", fakeNode, "b", "k1", "v1", "QUORUM", 2000));
        answer(problem(503, "partial"));
        assertEquals(Outcome.INDETERMINATE, kv.write("w0", fakeNode, "b", "k2", "v2", "QUORUM", 2000));
        answer(problem(504, "unknown"));
        assertEquals(Outcome.INDETERMINATE, kv.write("w0", fakeNode, "b", "k3", "v3", "QUORUM", 2000));
        answer(null);
        assertEquals(Outcome.INDETERMINATE, kv.write("w1", fakeNode, "b", "k4", "v4", "QUORUM", 2000));

        List<Operation> ops = history.operations();
        assertEquals(List.of(Outcome.OK, Outcome.FAIL, Outcome.INDETERMINATE, Outcome.INDETERMINATE,
                Outcome.INDETERMINATE), ops.stream().map(Operation::outcome).toList());
        assertTrue(ops.get(1).reason().startsWith("via n1: 503 {"), ops.get(1).reason());
        assertTrue(ops.get(4).reason().contains("no complete response"), ops.get(4).reason());
        assertEquals(10, history.events().size());
        assertTrue(history.events().stream().filter(e -> e.type().equals(Event.INVOKE)).allMatch(e -> e.op() == Op.WRITE));
    }

    @Test
    void aWriteToANodeThatRefusesConnectionsCertainlyFailed() throws IOException {
        server.close();
        assertEquals(Outcome.FAIL, kv.write("w0", fakeNode, "b", "k", "v", "ONE", 1000));
        assertEquals(Outcome.FAIL, history.operations().get(0).outcome());
    }

    @Test
    void readsRecordTheValueFoundOrItsAbsence() {
        answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertEquals(FinalRead.present("hello"), kv.read("r0", fakeNode, "b", "a", "QUORUM", 1000));
        answer(problem(404, "none"));
        assertEquals(FinalRead.absent(), kv.read("r0", fakeNode, "b", "b", "QUORUM", 1000));
        answer(problem(503, "none"));
        assertNull(kv.read("r0", fakeNode, "b", "c", "QUORUM", 1000));

        List<Operation> ops = history.operations();
        assertEquals(List.of(Outcome.OK, Outcome.OK, Outcome.FAIL), ops.stream().map(Operation::outcome).toList());
        assertEquals("hello", ops.get(0).result());
        assertNull(ops.get(1).result());
    }
}
