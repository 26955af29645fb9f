package io.kvorum.node.replica;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A peer's answer collected into one array: whole, whatever its size and framing, or a failure. */
class ResponseBodiesTest {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClientAgent client = vertx.createHttpClient();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private int serve(byte[] body, boolean chunked) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            if (chunked) { // no Content-Length: the fallback path
                req.response().setChunked(true);
                for (int at = 0; at < body.length; at += 1000) {
                    req.response().write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 1000))));
                }
                req.response().end();
            } else {
                req.response().end(Buffer.buffer(body));
            }
        });
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }

    /**
     * The collector is attached in the task that sends, as {@link HttpInternalClient} does: chained
     * from this (non-Vert.x) thread, it could be attached after chunks were handled and dropped.
     */
    private byte[] get(int port) throws Exception {
        return await(client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(req -> req.send().compose(ResponseBodies::collect)));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void bodiesOfEverySizeArriveWhole() throws Exception {
        for (int size : new int[] {0, 1, 1100, 9_000, 70_000, ResponseBodies.PREALLOCATED_MAX_BYTES + 1}) {
            byte[] body = pattern(size);
            assertArrayEquals(body, get(serve(body, false)), "Content-Length " + size);
            assertArrayEquals(body, get(serve(body, true)), "chunked " + size);
        }
    }

    @Test
    void aCollectorAttachedAfterTheBodyWentByFailsInsteadOfAnsweringPartOfIt() throws Exception {
        for (int size : new int[] {9_000, ResponseBodies.PREALLOCATED_MAX_BYTES + 1}) {
            int port = serve(pattern(size), false);
            HttpClientResponse resp = await(client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                    .compose(req -> req.send()));
            try {
                await(resp.end()); // every chunk handled, with nothing to take it
            } catch (IllegalStateException endedAlready) { // what Vert.x 5.0 throws once it has ended
            }
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> await(ResponseBodies.collect(resp)), "Content-Length " + size);
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthFails() throws Exception {
        NetServer raw = vertx.createNetServer().connectHandler(socket -> socket.handler(request -> {
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            socket.close();
        }));
        int port = await(raw.listen(0, "127.0.0.1")).actualPort();
        assertThrows(ExecutionException.class, () -> get(port));
    }

    @Test
    void onlyLengthsAreTakenForLengths() {
        assertEquals(1234, ResponseBodies.announcedLength(" 1234 "));
        assertEquals(0, ResponseBodies.announcedLength("0"));
        assertEquals(-1, ResponseBodies.announcedLength(null));
        assertEquals(-1, ResponseBodies.announcedLength("-5"));
        assertEquals(-1, ResponseBodies.announcedLength("12x"));
        assertEquals(99999999999999L, ResponseBodies.announcedLength("99999999999999"));
        assertEquals(-1, ResponseBodies.announcedLength("99999999999999999999"));
    }

    @Test
    void aHugeAnnouncedLengthIsNotAllocatedUpFront() throws Exception {
        NetServer raw = vertx.createNetServer().connectHandler(socket -> socket.handler(request -> {
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\nabc");
            socket.close();
        }));
        int port = await(raw.listen(0, "127.0.0.1")).actualPort();
        assertThrows(ExecutionException.class, () -> get(port)); // a short body, not an OutOfMemoryError
    }
}
