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

    ValueBodyHandler(int limit) {
        this.limit = limit;
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
        if (length != null) {
            try {
                long announced = Long.parseLong(length.trim());
                if (announced > limit) {
                    ctx.fail(413);
                    return;
                }
                expected = (int) Math.max(0, Math.min(announced, PREALLOCATED_MAX_BYTES));
            } catch (NumberFormatException e) {
                ctx.fail(ApiError.badRequest("bad Content-Length header '" + length + "'"));
                return;
            }
        }
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
            } else {
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
}
