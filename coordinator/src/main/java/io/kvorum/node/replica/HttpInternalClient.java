package io.kvorum.node.replica;

import io.kvorum.node.http.ApiError;
import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client for the internal API of other nodes: keep-alive pools per peer, a binary body,
 * the cluster secret on every call, and a deadline per call.
 */
public final class HttpInternalClient implements ReplicaClient {
    public static final String SECRET_HEADER = "X-Kvorum-Secret";
    public static final String MAX_SIBLINGS_HEADER = "X-Kvorum-Max-Siblings";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final String BINARY = "application/octet-stream";

    private final HttpClientAgent client;
    private final String secret;

    public HttpInternalClient(Vertx vertx, String secret, String localAddress, int maxConnectionsPerPeer) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(2_000);
        if (localAddress != null) {
            options.setLocalAddress(localAddress);
        }
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxConnectionsPerPeer));
        this.secret = secret;
    }

    @Override
    public Future<Optional<KeyRecord>> read(Node node, StorageKey key, Call call) {
        return call(node, HttpMethod.POST, "/internal/v1/read", key.encode(), call, null)
                .map(body -> body == null ? Optional.<KeyRecord>empty() : Optional.of(RecordCodec.decode(body)));
    }

    @Override
    public Future<Void> merge(Node node, StorageKey key, KeyRecord record, Call call) {
        return call(node, HttpMethod.POST, "/internal/v1/merge", InternalCodec.encodeMerge(key, record),
                call, null).mapEmpty(); // the endpoint answers the merged record; nobody here needs it
    }

    @Override
    public Future<KeyRecord> causalWrite(Node node, StorageKey key, VersionVector context, Sibling value,
                                         int maxSiblings, Call call) {
        return call(node, HttpMethod.POST, "/internal/v1/write", InternalCodec.encodeWrite(key, context, value),
                call, String.valueOf(maxSiblings)).map(RecordCodec::decode);
    }

    /** Hands a write to a fallback node, to be held as a hint for {@code primaryId}. */
    public Future<Void> hint(Node fallback, String primaryId, StorageKey key, KeyRecord record, Call call) {
        return call(fallback, HttpMethod.POST, "/internal/v1/hint", InternalCodec.encodeHint(primaryId, key, record),
                call, null).mapEmpty();
    }

    /** One push-pull gossip exchange: sends this node's table, answers the peer's. */
    public Future<byte[]> gossip(Node node, byte[] state, long timeoutMillis) {
        return call(node, HttpMethod.POST, "/internal/v1/gossip", state, Call.of(timeoutMillis), null);
    }

    /** Tells a peer that this node is stopping ({@link io.kvorum.ring.gossip.Membership#shutdownAnnouncement}). */
    public Future<Void> gossipShutdown(Node node, byte[] announcement, long timeoutMillis) {
        return call(node, HttpMethod.POST, "/internal/v1/gossip/shutdown", announcement, Call.of(timeoutMillis), null)
                .mapEmpty();
    }

    public Future<Buffer> getJson(Node node, String path, long timeoutMillis) {
        return call(node, HttpMethod.GET, path, (byte[]) null, Call.of(timeoutMillis), null).map(b -> Buffer.buffer(b));
    }

    public Future<Void> putJson(Node node, String path, Buffer json, long timeoutMillis) {
        return call(node, HttpMethod.PUT, path, json.getBytes(), Call.of(timeoutMillis), null).mapEmpty();
    }

    /** A POST of a binary body to another internal endpoint (e.g. Paxos); answers the body of a 200. */
    public Future<byte[]> post(Node node, String path, byte[] body, Call call) {
        return call(node, HttpMethod.POST, path, body, call, null);
    }

    /** Sends a batch of replica messages ({@link BatchCodec}); answers the encoded results. */
    public Future<byte[]> batch(Node node, Buffer body, long timeoutMillis) {
        return call(node, HttpMethod.POST, "/internal/v1/batch", body, Call.of(timeoutMillis), null);
    }

    private Future<byte[]> call(Node node, HttpMethod method, String path, byte[] body, Call call,
                                String maxSiblings) {
        return call(node, method, path, body == null ? null : Buffer.buffer(body), call, maxSiblings);
    }

    /** Answers the body of a 200, null for a 404, and fails for anything else. */
    private Future<byte[]> call(Node node, HttpMethod method, String path, Buffer body, Call call,
                                String maxSiblings) {
        long timeoutMillis = call.timeoutMillis();
        RequestOptions opts = new RequestOptions()
                .setMethod(method)
                .setHost(node.host())
                .setPort(node.port())
                .setURI(path)
                .setIdleTimeout(timeoutMillis)
                .putHeader(SECRET_HEADER, secret);
        if (body != null) {
            opts.putHeader("Content-Type", BINARY);
        }
        if (call.requestId() != null) {
            opts.putHeader(REQUEST_ID_HEADER, call.requestId());
        }
        if (maxSiblings != null) {
            opts.putHeader(MAX_SIBLINGS_HEADER, maxSiblings);
        }
        // The collector is attached in the task that sends: chained one step later, from a thread
        // that is not the request's, it could come after the body's chunks were dropped.
        return client.request(opts)
                .compose(req -> (body == null ? req.send() : req.send(body))
                        .compose(resp -> ResponseBodies.collect(resp).compose(b -> interpret(node, resp.statusCode(), b))))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** What a replica's answer means: the body of a 200, null for a 404, a failure for anything else. */
    static Future<byte[]> interpret(Node node, int status, byte[] body) {
        return switch (status) {
            case 200 -> Future.succeededFuture(body);
            case 404 -> Future.succeededFuture(null);
            case 409 -> Future.failedFuture(new ApiError(409, "Conflict", text(body)));
            default -> Future.failedFuture(new ReplicaCallException(node.id(),
                    "HTTP " + status + " " + abbreviate(text(body))));
        };
    }

    private static String text(byte[] body) {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    public Future<Void> close() {
        return client.close();
    }
}
