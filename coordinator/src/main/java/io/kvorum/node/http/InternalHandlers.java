package io.kvorum.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.node.bucket.BucketRegistry;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.node.replica.InternalCodec;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.StorageKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The internal node-to-node API under /internal/v1, guarded by the cluster secret. Bodies are
 * binary (see {@link InternalCodec}); a request without the right secret gets 401 and touches nothing.
 */
public final class InternalHandlers {
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
    public void authenticate(RoutingContext ctx) {
        String given = ctx.request().getHeader(HttpInternalClient.SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "Unauthorized", "internal API calls need the cluster secret in the "
                    + HttpInternalClient.SECRET_HEADER + " header");
        }
        ctx.next();
    }

    public void ping(RoutingContext ctx) {
        ctx.response().end(local.nodeId());
    }

    public void read(RoutingContext ctx) {
        StorageKey key = StorageKey.decode(bytes(ctx));
        local.read(key).onSuccess(r -> {
            if (r.isEmpty()) {
                ctx.response().setStatusCode(404).end();
            } else {
                binary(ctx, r.get());
            }
        }).onFailure(ctx::fail);
    }

    public void merge(RoutingContext ctx) {
        InternalCodec.MergeRequest req = InternalCodec.decodeMerge(bytes(ctx));
        reply(ctx, local.merge(req.key(), req.record()));
    }

    public void write(RoutingContext ctx) {
        InternalCodec.WriteRequest req = InternalCodec.decodeWrite(bytes(ctx));
        String max = ctx.request().getHeader(HttpInternalClient.MAX_SIBLINGS_HEADER);
        int maxSiblings;
        try {
            maxSiblings = Integer.parseInt(max);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("missing or bad " + HttpInternalClient.MAX_SIBLINGS_HEADER + " header");
        }
        local.causalWrite(req.key(), req.context(), req.value(), maxSiblings)
                .onSuccess(r -> binary(ctx, r))
                .onFailure(e -> {
                    if (e instanceof ApiError api && api.status() == 409) {
                        ctx.response().setStatusCode(409).end(api.detail());
                    } else {
                        ctx.fail(e);
                    }
                });
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

    private void reply(RoutingContext ctx, Future<KeyRecord> result) {
        result.onSuccess(r -> binary(ctx, r)).onFailure(ctx::fail);
    }

    private static void binary(RoutingContext ctx, KeyRecord record) {
        ctx.response().putHeader("Content-Type", "application/octet-stream")
                .end(Buffer.buffer(RecordCodec.encode(record)));
    }

    private static byte[] bytes(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        if (b == null) {
            throw ApiError.badRequest("empty body");
        }
        return b.getBytes();
    }
}
