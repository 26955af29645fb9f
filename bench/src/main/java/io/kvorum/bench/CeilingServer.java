package io.kvorum.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ceiling: the least a Vert.x HTTP server can do for our API. {@code GET /kv/{bucket}/{key}}
 * answers the stored bytes (200) or 404, {@code PUT} stores the body in a ConcurrentHashMap (204),
 * {@code PUT /buckets/{bucket}} answers 200. No quorum, no storage, no JSON: what the bench drives
 * against it is the most this machine's HTTP stack can give the same client with the same settings.
 */
public final class CeilingServer extends VerticleBase {
    private final String host;
    private final int port;
    private final Map<String, byte[]> data;
    private HttpServer server;

    private CeilingServer(String host, int port, Map<String, byte[]> data) {
        this.host = host;
        this.port = port;
        this.data = data;
    }

    /** The event-loop count of a node's HTTP verticle (KvorumNode: min(4, cores)). */
    public static int nodeInstances() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Deploys {@code instances} verticles sharing one port and answers the port. Port 0 picks a free
     * one (Vert.x shares a random port between servers that ask for the same negative port).
     */
    public static Future<Integer> deploy(Vertx vertx, String host, int port, int instances) {
        Map<String, byte[]> data = new ConcurrentHashMap<>();
        List<CeilingServer> servers = new CopyOnWriteArrayList<>();
        int requested = port == 0 ? -1 : port;
        return vertx.deployVerticle(() -> {
                    CeilingServer server = new CeilingServer(host, requested, data);
                    servers.add(server);
                    return server;
                }, new DeploymentOptions().setInstances(instances))
                .map(id -> servers.get(0).server.actualPort());
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                .requestHandler(this::handle);
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith("/kv/")) {
            if (req.method() == HttpMethod.GET) {
                byte[] value = data.get(path);
                if (value == null) {
                    req.response().setStatusCode(404).end();
                } else {
                    req.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(value));
                }
            } else if (req.method() == HttpMethod.PUT) {
                req.body().onSuccess(body -> {
                    data.put(path, body.getBytes());
                    req.response().setStatusCode(204).end();
                });
            } else {
                req.response().setStatusCode(405).end();
            }
        } else if (path.startsWith("/buckets/") && req.method() == HttpMethod.PUT) {
            req.body().onSuccess(body -> req.response().putHeader("Content-Type", "application/json").end(body));
        } else if (path.equals("/health") || path.equals("/ready")) {
            req.response().end("{\"status\":\"UP\"}");
        } else {
            req.response().setStatusCode(404).end();
        }
    }
}
