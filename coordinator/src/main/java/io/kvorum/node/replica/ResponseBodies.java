package io.kvorum.node.replica;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * A peer's answer as one byte array. With a Content-Length (what Vert.x servers send for a body
 * written whole), the chunks are copied once into an array of that size, where
 * {@link HttpClientResponse#body()} grows a buffer chunk by chunk and {@code getBytes()} then copies
 * it again; without one, or for a body above {@link #PREALLOCATED_MAX_BYTES}, it falls back to that.
 */
final class ResponseBodies {
    /** The largest body given an array up front: a bad header must not allocate more than this. */
    static final int PREALLOCATED_MAX_BYTES = 1 << 20;

    private ResponseBodies() {
    }

    /** Call where {@code body()} would be called: before the response's first chunk is handled. */
    static Future<byte[]> collect(HttpClientResponse resp) {
        int length = contentLength(resp.getHeader("Content-Length"));
        if (length < 0) {
            return resp.body().map(Buffer::getBytes);
        }
        byte[] out = new byte[length];
        int[] filled = {0};
        Promise<byte[]> done = Promise.promise();
        resp.exceptionHandler(done::tryFail);
        resp.handler(chunk -> {
            int n = chunk.length();
            if (filled[0] + n > length) {
                filled[0] = length + 1; // more than announced: reported at the end, the rest ignored
                return;
            }
            chunk.getBytes(0, n, out, filled[0]);
            filled[0] += n;
        });
        resp.endHandler(v -> {
            if (filled[0] == length) {
                done.tryComplete(out);
            } else {
                done.tryFail(new IllegalStateException("the response body does not match its Content-Length of "
                        + length + " bytes"));
            }
        });
        return done.future();
    }

    /** The announced length when it is a usable size, -1 otherwise. */
    static int contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.trim());
            return n >= 0 && n <= PREALLOCATED_MAX_BYTES ? (int) n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
