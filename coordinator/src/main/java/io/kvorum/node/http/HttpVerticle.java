package io.kvorum.node.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.kvorum.node.config.NodeConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP edge of a node: the route table, body limits and the error mapper. Several instances
 * share the port (one per event loop); the handlers they call are shared and thread-safe.
 */
public final class HttpVerticle extends VerticleBase {
    public static final int SMALL_BODY_LIMIT = 64 * 1024;
    private final String host;
    private final int port;
    private final int maxValueBytes;
    private final long idleTimeoutMillis;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private final KvHandlers kv;
    private final AdminHandlers admin;
    private final InternalHandlers internal;
    private final ClusterHandlers cluster;
    private final Problems problems;
    private final PaxosHandlers paxos;
    private final LockHandlers locks;
    private final InFlightBytes inFlight;
    private HttpServer server;

    /**
     * @param limits   the request limits: value size, idle timeout, request line and header sizes
     * @param inFlight the bytes of client values the node holds at once, shared by every instance
     */
    public HttpVerticle(String host, int port, NodeConfig.Limits limits, KvHandlers kv,
                        AdminHandlers admin, InternalHandlers internal, ClusterHandlers cluster, Problems problems,
                        PaxosHandlers paxos, LockHandlers locks, InFlightBytes inFlight) {
        this.inFlight = inFlight;
        this.idleTimeoutMillis = limits.httpIdleTimeoutMillis();
        this.maxInitialLineLength = limits.httpMaxInitialLineLength();
        this.maxHeaderSize = limits.httpMaxHeaderSize();
        this.cluster = cluster;
        this.paxos = paxos;
        this.locks = locks;
        this.host = host;
        this.port = port;
        this.maxValueBytes = limits.maxValueBytes();
        this.kv = kv;
        this.admin = admin;
        this.internal = internal;
        this.problems = problems;
    }

    private Router routes() {
        Router r = Router.router(vertx);
        ValueBodyHandler values = new ValueBodyHandler(maxValueBytes, inFlight);
        // bodies collected into a buffer of their Content-Length (up to 64 KiB), not grown chunk by chunk
        BodyHandler small = BodyHandler.create(false).setBodyLimit(SMALL_BODY_LIMIT).setPreallocateBodyBuffer(true);
        BodyHandler replica = BodyHandler.create(false).setBodyLimit(maxValueBytes * 70L + 1024 * 1024)
                .setPreallocateBodyBuffer(true);

        r.route().handler(RequestIds::assign);
        r.get("/kv/:bucket/*").handler(kv::get);
        r.put("/kv/:bucket/*").handler(values).handler(kv::put);
        r.delete("/kv/:bucket/*").handler(kv::delete);
        r.get("/buckets/:bucket").handler(admin::getBucket);
        r.put("/buckets/:bucket").handler(small).handler(admin::putBucket);
        r.get("/metrics").handler(admin::metrics);
        r.get("/health").handler(admin::health);
        r.get("/ready").handler(admin::ready);
        r.get("/admin/cluster").handler(admin::cluster);
        r.get("/admin/ring").handler(admin::ring);
        r.post("/locks/*").handler(locks::acquire);
        r.put("/locks/*").handler(locks::renew);
        r.delete("/locks/*").handler(locks::release);
        r.get("/locks/*").handler(locks::status);

        r.get("/internal/v1/ping").handler(internal::ping);
        r.post("/internal/v1/read").handler(replica).handler(internal::read);
        r.post("/internal/v1/merge").handler(replica).handler(internal::merge);
        r.post("/internal/v1/write").handler(replica).handler(internal::write);
        r.post("/internal/v1/batch").handler(replica).handler(internal::batch);
        r.post("/internal/v1/hint").handler(replica).handler(cluster::hint);
        r.post("/internal/v1/gossip").handler(small).handler(cluster::gossip);
        r.post("/internal/v1/gossip/shutdown").handler(small).handler(cluster::shutdown);
        r.get("/internal/v1/buckets").handler(internal::getBuckets);
        r.put("/internal/v1/buckets").handler(small).handler(internal::putBucket);
        r.post("/internal/v1/paxos/prepare").handler(replica).handler(paxos::prepare);
        r.post("/internal/v1/paxos/propose").handler(replica).handler(paxos::propose);
        r.post("/internal/v1/paxos/commit").handler(replica).handler(paxos::commit);

        r.route().failureHandler(problems::handle);
        r.errorHandler(400, problems.forStatus(400));
        r.errorHandler(404, problems.forStatus(404));
        r.errorHandler(405, problems.forStatus(405));
        return r;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // a client that stalls mid-request (or never sends one) does not hold its connection forever
                .setIdleTimeout((int) idleTimeoutMillis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize);
        Router router = routes();
        // connections answered with a refusal (and being closed): a request pipelined behind the
        // refused one may be the refused body's bytes, so it is dropped, never served. One event
        // loop serves this verticle's connections, so the set needs no lock.
        Set<HttpConnection> refused = Collections.newSetFromMap(new WeakHashMap<>());
        server = vertx.createHttpServer(options).requestHandler(request -> {
            if (refused.contains(request.connection())) {
                request.connection().close();
                return;
            }
            switch (problems.refuseUnservable(request, internal::hasSecret)) {
                case REFUSED -> refused.add(request.connection());
                case ANSWERED -> { }
                case SERVE -> router.handle(request);
            }
        }).invalidRequestHandler(request -> problems.invalidRequest(request, maxInitialLineLength, maxHeaderSize));
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
    }
}
