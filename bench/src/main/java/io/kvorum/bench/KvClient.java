package io.kvorum.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The HTTP side of the bench: GET and PUT on {@code /kv/{bucket}/{key}} and PUT on
 * {@code /buckets/{bucket}}, over a keep-alive pool per node without pipelining. Create it on the
 * event loop that will use it; a reply is its status and {@code X-Kvorum-Context}, the body is
 * read in full and dropped.
 */
final class KvClient {
    static final String CONTEXT_HEADER = "X-Kvorum-Context";
    private static final String BINARY = "application/octet-stream";

    /** The status of an answered request, and the context and ETag it carried (each may be null). */
    record Reply(int status, String context, String etag) {
        Reply(int status, String context) {
            this(status, context, null);
        }
    }

    private final HttpClientAgent client;
    private final long timeoutMillis;

    KvClient(Vertx vertx, int connectionsPerNode, long timeoutMillis) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connectionsPerNode));
        this.timeoutMillis = timeoutMillis;
    }

    Future<Reply> get(Endpoint node, String uri) {
        return send(node, HttpMethod.GET, uri, null, null, null);
    }

    Future<Reply> put(Endpoint node, String uri, Buffer value, String context) {
        return send(node, HttpMethod.PUT, uri, value, BINARY, context);
    }

    /**
     * A compare-and-set PUT: {@code If-Match} the given ETag (as it came, quoted), or
     * {@code If-None-Match: *} when it is null (the key was absent).
     */
    Future<Reply> putIfMatch(Endpoint node, String uri, Buffer value, String etag) {
        return send(node, HttpMethod.PUT, uri, value, BINARY, null,
                etag == null ? "If-None-Match" : "If-Match", etag == null ? "*" : etag);
    }

    Future<Reply> putJson(Endpoint node, String uri, String json) {
        return send(node, HttpMethod.PUT, uri, Buffer.buffer(json), "application/json", null);
    }

    Future<Void> close() {
        return client.close();
    }

    private Future<Reply> send(Endpoint node, HttpMethod method, String uri, Buffer body, String contentType,
                               String context) {
        return send(node, method, uri, body, contentType, context, null, null);
    }

    private Future<Reply> send(Endpoint node, HttpMethod method, String uri, Buffer body, String contentType,
                               String context, String conditionHeader, String condition) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(node.host())
                .setPort(node.port())
                .setURI(uri)
                .setIdleTimeout(timeoutMillis);
        if (contentType != null) {
            options.putHeader("Content-Type", contentType);
        }
        if (context != null && !context.isEmpty()) {
            options.putHeader(CONTEXT_HEADER, context);
        }
        if (conditionHeader != null) {
            options.putHeader(conditionHeader, condition);
        }
        // body() in the task that sends, so no chunk can be handled before something reads it
        return client.request(options)
                .compose(req -> (body == null ? req.send() : req.send(body))
                        .compose(resp -> resp.body().map(ignored -> new Reply(resp.statusCode(),
                                resp.getHeader(CONTEXT_HEADER), resp.getHeader("ETag")))));
    }

    /** The error label of a request that got no answer: {@code timeout} or {@code io}. */
    static String failureLabel(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (name.contains("timeout") || message.contains("timeout") || message.contains("timed out")) {
                return "timeout";
            }
        }
        return "io";
    }
}
