package io.kvorum.node.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Collects a value's bytes exactly as sent, whatever the Content-Type (a form or multipart body is
 * a value like any other, never parsed), and refuses more than the limit with 413.
 */
final class ValueBodyHandler implements Handler<RoutingContext> {
    private static final String KEY = "kvorum.value";
    /** The most allocated up front for a body, whatever its Content-Length says (as Vert.x's BodyHandler). */
    private static final int PREALLOCATED_MAX_BYTES = 65_535;
    private final int limit;
    private final InFlightBytes inFlight;

    /**
     * @param limit    the largest value (maxValueBytes): 413 above
     * @param inFlight the bytes of values the node may hold at once (maxInFlightValueBytes): 503 above
     */
    ValueBodyHandler(int limit, InFlightBytes inFlight) {
        this.limit = limit;
        this.inFlight = inFlight;
    }

    static Buffer value(RoutingContext ctx) {
        Buffer b = ctx.get(KEY);
        return b == null ? Buffer.buffer() : b;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String length = req.getHeader("Content-Length");
        int expected = 0;
        long[] held = {0}; // bytes of the in-flight budget this request holds, given back when it ends
        if (length != null) {
            try {
                long announced = Long.parseLong(length.trim());
                if (announced > limit) {
                    ctx.fail(413);
                    return;
                }
                if (announced > 0 && !inFlight.tryAcquire(announced)) {
                    refuse(ctx, announced);
                    return;
                }
                held[0] = Math.max(0, announced);
                expected = (int) Math.max(0, Math.min(announced, PREALLOCATED_MAX_BYTES));
            } catch (NumberFormatException e) {
                ctx.fail(ApiError.badRequest("bad Content-Length header '" + length + "'"));
                return;
            }
        }
        boolean chunked = length == null;
        ctx.addEndHandler(v -> inFlight.release(held[0]));
        // sized by the Content-Length when there is one, so a value is not copied as its buffer grows
        Buffer body = expected > 0 ? Buffer.buffer(expected) : Buffer.buffer();
        boolean[] failed = {false};
        req.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                failed[0] = true;
                ctx.fail(413);
            } else if (chunked && !inFlight.tryAcquire(chunk.length())) {
                failed[0] = true;
                refuse(ctx, body.length() + chunk.length());
            } else {
                held[0] += chunked ? chunk.length() : 0;
                body.appendBuffer(chunk);
            }
        });
        req.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(e);
            }
        });
        req.endHandler(v -> {
            if (!failed[0]) {
                ctx.put(KEY, body);
                ctx.next();
            }
        });
        req.resume();
    }

    private void refuse(RoutingContext ctx, long bytes) {
        ctx.response().putHeader("Retry-After", "1");
        ctx.fail(new ApiError(503, "Service Unavailable", "this node is already receiving " + inFlight.used()
                + " bytes of values, and this one (" + bytes + " bytes) would pass the limit of " + inFlight.limit()
                + " bytes (maxInFlightValueBytes): retry shortly, or through another node"));
    }
}
