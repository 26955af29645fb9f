package io.kvorum.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.TooLongFrameException;
import io.kvorum.storage.StorageException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.CompletionException;

/** The one error mapper: turns any failure of a route into an RFC 9457 problem+json response. */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper mapper;
    private final int maxValueBytes;

    public Problems(ObjectMapper mapper, int maxValueBytes) {
        this.mapper = mapper;
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * Answers {@code 400} and closes the connection when {@link RequestGuard} refuses the request
     * (before routing: such a request cannot be served safely, and what follows it on the
     * connection cannot be trusted).
     *
     * Also answers, keeping the connection, a well-framed request that is refused whatever its
     * route: a path under {@code /internal/} without the cluster secret ({@code 401}, even when the
     * path is malformed) and an {@code Expect} other than {@code 100-continue} ({@code 417}).
     *
     * @return what became of the request
     */
    public Early refuseUnservable(HttpServerRequest request, Predicate<HttpServerRequest> hasClusterSecret) {
        Optional<String> refusal = RequestGuard.refusal(request.version() == HttpVersion.HTTP_1_1,
                request.headers().getAll("Host"), request.authority() != null,
                request.headers().getAll("Transfer-Encoding"), request.uri());
        if (refusal.isPresent()) {
            answer(request, ApiError.badRequest(refusal.get()), request.path(), true);
            return Early.REFUSED;
        }
        // well-framed requests refused before routing: answered, and the connection kept
        ApiError error = null;
        if (request.path().startsWith("/internal/") && !hasClusterSecret.test(request)) {
            // before routing, so that no path under /internal/ (not even a malformed one) answers anything else
            error = InternalHandlers.unauthorized();
        } else {
            String expect = request.getHeader("Expect");
            if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
                error = new ApiError(417, "Expectation Failed", "Expect: " + expect + " is not supported; only "
                        + "Expect: 100-continue is");
            }
        }
        if (error == null) {
            return Early.SERVE;
        }
        answer(request, error, request.path(), false);
        return Early.ANSWERED;
    }

    /**
     * The server's handler for requests its HTTP decoder could not read (Vert.x's default answers
     * these with an empty body): a request line or headers over the limits, or malformed HTTP.
     * What cannot be answered (an answer was already under way) closes the connection.
     */
    public void invalidRequest(HttpServerRequest request, int maxInitialLineLength, int maxHeaderSize) {
        Throwable cause = request.decoderResult().cause();
        String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        ApiError error;
        if (cause instanceof TooLongFrameException && message.startsWith("An HTTP line is larger than")) {
            error = new ApiError(414, "URI Too Long", "the request line is longer than " + maxInitialLineLength
                    + " bytes (httpMaxInitialLineLength)");
        } else if (cause instanceof TooLongFrameException && message.startsWith("HTTP header is larger than")) {
            error = new ApiError(431, "Request Header Fields Too Large", "the request headers are larger than "
                    + maxHeaderSize + " bytes (httpMaxHeaderSize)");
        } else if (!request.response().headWritten()) { // a request line or header that could not be read
            error = ApiError.badRequest("malformed HTTP request" + (message.isEmpty() ? "" : ": " + message));
        } else {
            request.connection().close();
            return;
        }
        // Netty stands in for a request line it could not read with GET /bad-request
        boolean standIn = "/bad-request".equals(request.uri()) && request.version() == HttpVersion.HTTP_1_0;
        answer(request, error, standIn ? "" : request.path(), true);
    }

    /** Answers a request that never reached the router, closing its connection afterwards if {@code close}. */
    private void answer(HttpServerRequest request, ApiError error, String instance, boolean close) {
        String id = RequestIds.generate();
        HttpServerResponse response = request.response().setStatusCode(error.status())
                .putHeader("Content-Type", PROBLEM_JSON)
                .putHeader(RequestIds.HEADER, id);
        if (close) {
            response.putHeader("Connection", "close");
        }
        response.end(problem(error, instance, id).toString()).onComplete(done -> {
            if (close) {
                request.connection().close();
            }
        });
    }

    private ObjectNode problem(ApiError e, String instance, String requestId) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.detail());
        body.put("instance", instance);
        body.put("requestId", requestId);
        for (Map.Entry<String, Object> x : e.extras().entrySet()) {
            body.set(x.getKey(), mapper.valueToTree(x.getValue()));
        }
        return body;
    }

    /** What {@link #refuseUnservable} did with a request. */
    public enum Early {
        /** Nothing: route it. */
        SERVE,
        /** Answered; the connection serves the next request. */
        ANSWERED,
        /** Refused and the connection is closing: nothing more on it may be served. */
        REFUSED
    }

    /** Failure handler for the router. */
    public void handle(RoutingContext ctx) {
        send(ctx, toApiError(ctx.failure(), ctx.statusCode(), ctx));
    }

    /** Error handler for a status the router itself produces (no route, wrong method, bad request line). */
    public io.vertx.core.Handler<RoutingContext> forStatus(int status) {
        return ctx -> send(ctx, toApiError(ctx.failure() instanceof ApiError ? ctx.failure() : null, status, ctx));
    }

    public ApiError toApiError(Throwable failure, int statusCode, RoutingContext ctx) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (f instanceof ApiError api) {
            return api;
        }
        if (f instanceof HttpClosedException) { // the client went away: nothing to answer, nothing to log
            log.debug("client closed the connection during {} {}", ctx.request().method(), ctx.request().path());
            return new ApiError(400, "Bad Request", "the client closed the connection");
        }
        if (f instanceof IllegalArgumentException iae) {
            return ApiError.badRequest(iae.getMessage());
        }
        Optional<StorageException> storage = ApiError.storageCause(f);
        if (storage.isPresent()) { // the store logged the cause once, when it failed
            log.debug("{} {} refused: storage failed", ctx.request().method(), ctx.request().path(), f);
            return ApiError.storageFailed(storage.get());
        }
        if (f == null) {
            return switch (statusCode) {
                case 404 -> ApiError.notFound("no resource at " + ctx.request().path());
                case 405 -> new ApiError(405, "Method Not Allowed", ctx.request().method() + " is not allowed on "
                        + ctx.request().path());
                case 413 -> ctx.request().path().startsWith("/buckets/")
                        ? new ApiError(413, "Content Too Large", "bucket properties are limited to "
                        + HttpVerticle.SMALL_BODY_LIMIT + " bytes")
                        : new ApiError(413, "Content Too Large", "the request body is larger than the limit of "
                        + maxValueBytes + " bytes (maxValueBytes)");
                case 400 -> ApiError.badRequest("malformed request: check the percent-encoding of the path and query");
                case 401 -> new ApiError(401, "Unauthorized", "missing or wrong cluster secret");
                default -> statusCode >= 400 && statusCode < 500
                        ? new ApiError(statusCode, "Client Error", "request failed with status " + statusCode)
                        : internal(null, ctx);
            };
        }
        return internal(f, ctx);
    }

    private static ApiError internal(Throwable f, RoutingContext ctx) {
        log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), f);
        return new ApiError(500, "Internal Server Error",
                "unexpected error: " + (f == null ? "unknown" : f.getClass().getSimpleName() + ": " + f.getMessage()));
    }

    public void send(RoutingContext ctx, ApiError e) {
        HttpServerResponse resp = ctx.response();
        if (resp.headWritten()) {
            resp.reset();
            return;
        }
        String requestId = RequestIds.of(ctx);
        if (requestId.isEmpty()) { // failed before the route that assigns one (e.g. an unroutable target)
            requestId = RequestIds.generate();
            resp.putHeader(RequestIds.HEADER, requestId);
        }
        ObjectNode body = problem(e, ctx.request().path(), requestId);
        if (e.status() == 405) {
            resp.putHeader("Allow", allowFor(ctx.request().path()));
        }
        resp.setStatusCode(e.status()).putHeader("Content-Type", PROBLEM_JSON).end(body.toString());
    }

    private static String allowFor(String path) {
        if (path.startsWith("/kv/")) {
            return "GET, PUT, DELETE";
        }
        if (path.startsWith("/locks/")) {
            return "GET, POST, PUT, DELETE";
        }
        if (path.startsWith("/buckets/") || path.equals("/internal/v1/buckets")) {
            return "GET, PUT";
        }
        if (path.startsWith("/internal/v1/") && !path.equals("/internal/v1/ping")) {
            return "POST";
        }
        return "GET";
    }
}
