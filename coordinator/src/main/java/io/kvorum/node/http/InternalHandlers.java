package io.kvorum.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.node.bucket.BucketRegistry;
import io.kvorum.node.config.NodeConfig;
import io.kvorum.node.replica.BatchCodec;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.node.replica.InternalCodec;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.StorageException;
import io.kvorum.storage.StorageKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The internal node-to-node API under /internal/v1, guarded by the cluster secret. Bodies are
 * binary (see {@link InternalCodec}); a request without the right secret gets 401 and touches nothing.
 */
public final class InternalHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(InternalHandlers.class);
    private static final BatchCodec.Result NOT_FOUND = new BatchCodec.Result(404, new byte[0]);
    private static final BatchCodec.Result ACKNOWLEDGED = new BatchCodec.Result(200, new byte[0]);
    private final ObjectMapper mapper;
    private final LocalReplica local;
    private final BucketRegistry buckets;
    private final byte[] secret;

    public InternalHandlers(ObjectMapper mapper, LocalReplica local, BucketRegistry buckets, String secret) {
        this.mapper = mapper;
        this.local = local;
        this.buckets = buckets;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs before every internal route. */
    /**
     * Whether the request carries this cluster's secret (compared in constant time). Checked for
     * every path under {@code /internal/} before routing ({@link Problems#refuseUnservable}).
     */
    public boolean hasSecret(HttpServerRequest request) {
        String given = request.getHeader(HttpInternalClient.SECRET_HEADER);
        return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
    }

    static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized", "internal API calls need the cluster secret in the "
                + HttpInternalClient.SECRET_HEADER + " header");
    }

    public void ping(RoutingContext ctx) {
        ctx.response().end(local.nodeId());
    }

    public void read(RoutingContext ctx) {
        single(ctx, new BatchCodec.Op(BatchCodec.READ, 0, null, bytes(ctx)));
    }

    public void merge(RoutingContext ctx) {
        single(ctx, new BatchCodec.Op(BatchCodec.MERGE, 0, null, bytes(ctx)));
    }

    public void write(RoutingContext ctx) {
        String max = ctx.request().getHeader(HttpInternalClient.MAX_SIBLINGS_HEADER);
        int maxSiblings;
        try {
            maxSiblings = Integer.parseInt(max);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("missing or bad " + HttpInternalClient.MAX_SIBLINGS_HEADER + " header");
        }
        single(ctx, new BatchCodec.Op(BatchCodec.WRITE, maxSiblings, null, bytes(ctx)));
    }

    /**
     * One replica message on its own endpoint: applied as in a batch, the outcome answered as its
     * HTTP status (a record, 404, or 409 with the reason; anything else as problem+json).
     */
    private void single(RoutingContext ctx, BatchCodec.Op op) {
        apply(op).onSuccess(r -> {
            switch (r.status()) {
                case 200 -> ctx.response().putHeader("Content-Type", "application/octet-stream")
                        .end(Buffer.buffer(r.body()));
                case 404 -> ctx.response().setStatusCode(404).end();
                case 409 -> ctx.response().setStatusCode(409).end(Buffer.buffer(r.body()));
                default -> ctx.fail(new ApiError(r.status(), r.status() == 400 ? "Bad Request" : "Internal Server Error",
                        new String(r.body(), StandardCharsets.UTF_8)));
            }
        });
    }

    /**
     * Several replica messages in one exchange ({@link BatchCodec}): each is applied as its own call
     * would be, and the answer lists every outcome in order once all are done.
     */
    public void batch(RoutingContext ctx) {
        List<BatchCodec.Op> ops;
        try {
            ops = BatchCodec.decodeRequest(body(ctx), NodeConfig.Coalescing.MAX_OPS);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad batch body: " + e.getMessage());
        }
        List<Future<BatchCodec.Result>> results = new ArrayList<>(ops.size());
        for (BatchCodec.Op op : ops) {
            results.add(apply(op));
        }
        Future.all(results).onComplete(done -> {
            List<BatchCodec.Result> answers = new ArrayList<>(results.size());
            results.forEach(f -> answers.add(f.result()));
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                    .end(BatchCodec.encodeResponse(answers));
        });
    }

    /** Applies one replica message; never fails: a failure is its result (400, 409, 503, 500). */
    private Future<BatchCodec.Result> apply(BatchCodec.Op op) {
        return decodeAndApply(op).transform(ar -> Future.succeededFuture(
                ar.succeeded() ? ar.result() : failure(ar.cause())));
    }

    private Future<BatchCodec.Result> decodeAndApply(BatchCodec.Op op) {
        try {
            return switch (op.type()) {
                case BatchCodec.READ -> local.read(StorageKey.decode(op.payload()))
                        .map(r -> r.isEmpty() ? NOT_FOUND : ok(r.get()));
                case BatchCodec.MERGE, BatchCodec.MERGE_ACK -> {
                    InternalCodec.MergeRequest req = InternalCodec.decodeMerge(op.payload());
                    Future<KeyRecord> merged = local.merge(req.key(), req.record());
                    yield op.type() == BatchCodec.MERGE ? merged.map(InternalHandlers::ok) : merged.map(ACKNOWLEDGED);
                }
                case BatchCodec.WRITE -> {
                    InternalCodec.WriteRequest req = InternalCodec.decodeWrite(op.payload());
                    yield local.causalWrite(req.key(), req.context(), req.value(), op.maxSiblings())
                            .map(InternalHandlers::ok);
                }
                default -> Future.succeededFuture(BatchCodec.Result.of(400, "unknown message type " + op.type()));
            };
        } catch (RuntimeException e) { // a message that does not decode; the others still count
            return Future.succeededFuture(BatchCodec.Result.of(400, "bad message: " + e.getMessage()));
        }
    }

    private static BatchCodec.Result ok(KeyRecord record) {
        return new BatchCodec.Result(200, RecordCodec.encode(record));
    }

    private static BatchCodec.Result failure(Throwable e) {
        if (e instanceof ApiError api) {
            return BatchCodec.Result.of(api.status(), api.detail());
        }
        Optional<StorageException> storage = ApiError.storageCause(e);
        if (storage.isPresent()) { // the store logged the cause once, when it failed
            ApiError api = ApiError.storageFailed(storage.get());
            return BatchCodec.Result.of(api.status(), api.detail());
        }
        LOG.warn("replica message failed", e);
        return BatchCodec.Result.of(500, String.valueOf(e.getMessage()));
    }

    public void getBuckets(RoutingContext ctx) {
        AdminHandlers.json(ctx, 200, buckets.tableJson());
    }

    public void putBucket(RoutingContext ctx) {
        JsonNode json;
        try {
            json = mapper.readTree(bytes(ctx));
        } catch (IOException e) {
            throw ApiError.badRequest("bad bucket JSON: " + e.getMessage());
        }
        buckets.acceptJson(json).onSuccess(v -> ctx.response().end()).onFailure(ctx::fail);
    }

    private static byte[] bytes(RoutingContext ctx) {
        return body(ctx).getBytes();
    }

    private static Buffer body(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        if (b == null) {
            throw ApiError.badRequest("empty body");
        }
        return b;
    }
}
