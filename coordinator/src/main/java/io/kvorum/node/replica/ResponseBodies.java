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
 *
 * <p>Vert.x drops the chunks of a response that nothing is reading. So the collector must be attached
 * in the task that sent the request ({@code req.send().compose(ResponseBodies::collect)}), before the
 * response's first chunk can be handled. A collector attached later fails whenever it can tell: when
 * the response has already ended, or when fewer bytes arrive than the Content-Length announced.
 */
final class ResponseBodies {
    /** The largest body given an array up front: a bad header must not allocate more than this. */
    static final int PREALLOCATED_MAX_BYTES = 1 << 20;

    private ResponseBodies() {
    }

    /** Call in the task that sent the request, before the response's first chunk can be handled. */
    static Future<byte[]> collect(HttpClientResponse resp) {
        if (ended(resp)) { // its chunks went by unread, and Vert.x would never complete body()
            return Future.failedFuture(new IllegalStateException("the response ended before its body was collected"));
        }
        long announced = announcedLength(resp.getHeader("Content-Length"));
        if (announced < 0 || announced > PREALLOCATED_MAX_BYTES) {
            return resp.body().compose(b -> announced < 0 || b.length() == announced
                    ? Future.succeededFuture(b.getBytes())
                    : Future.failedFuture(mismatch(announced)));
        }
        int length = (int) announced;
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
                done.tryFail(mismatch(length));
            }
        });
        return done.future();
    }

    private static boolean ended(HttpClientResponse resp) {
        try {
            return resp.end().isComplete();
        } catch (IllegalStateException alreadyEnded) { // what Vert.x 5.0 answers for an ended response
            return true;
        }
    }

    private static IllegalStateException mismatch(long length) {
        return new IllegalStateException("the response body does not match its Content-Length of " + length
                + " bytes");
    }

    /** The announced length, -1 when there is none or it is not a length. */
    static long announcedLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
