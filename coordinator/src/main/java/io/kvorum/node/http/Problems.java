package io.kvorum.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
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
        if (f instanceof IllegalArgumentException iae) {
            return ApiError.badRequest(iae.getMessage());
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
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.detail());
        body.put("instance", ctx.request().path());
        body.put("requestId", RequestIds.of(ctx));
        for (Map.Entry<String, Object> x : e.extras().entrySet()) {
            body.set(x.getKey(), mapper.valueToTree(x.getValue()));
        }
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
