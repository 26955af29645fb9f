package io.kvorum.node.http;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.coord.ReadReceipt;
import io.kvorum.node.coord.WriteReceipt;
import io.kvorum.node.paxos.CasCoordinator;
import io.kvorum.node.paxos.CasCoordinator.CasCommand;
import io.kvorum.node.paxos.CasCoordinator.CasResult;
import io.kvorum.node.paxos.CasOperation;
import io.kvorum.node.paxos.Precondition;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The /kv requests that run through Paxos: conditional PUT and DELETE ({@code If-Match},
 * {@code If-None-Match}), writes with {@code consistency=SERIAL}, and {@code GET
 * ?consistency=SERIAL}. Called by {@link KvHandlers} once the path and parameters are validated.
 */
public final class CasHandlers {
    public static final String PAXOS_HEADER = "X-Kvorum-Paxos";

    private final CasCoordinator cas;

    public CasHandlers(CasCoordinator cas) {
        this.cas = cas;
    }

    /** The request's preconditions; a malformed header is a 400. */
    static Optional<Precondition> precondition(HttpServerRequest req) {
        try {
            return Precondition.parse(req.getHeader("If-Match"), req.getHeader("If-None-Match"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    void serialRead(RoutingContext ctx, KvHandlers kv, KeyPath path, BucketProps props, KvParams params) {
        cas.execute(new CasCommand(path.bucket(), path.key(), props, CasOperation.read(), params.timeoutMillis(),
                        RequestIds.of(ctx)))
                .onSuccess(r -> KvHandlers.guarded(ctx, () -> {
                    receipt(ctx, r);
                    ctx.response().putHeader(KvHandlers.QUORUM_HEADER,
                            new ReadReceipt(r.required(), r.acked(), 0).toHeader());
                    kv.respondWithRecord(ctx, path, r.record(), 200);
                }))
                .onFailure(ctx::fail);
    }

    void write(RoutingContext ctx, KvHandlers kv, KeyPath path, BucketProps props, KvParams params, Sibling value,
               Optional<Precondition> precondition) {
        CasOperation op = (current, now) -> precondition.map(p -> p.holds(current)).orElse(true)
                ? new CasOperation.Apply(value) : new CasOperation.Refuse(precondition.get());
        cas.execute(new CasCommand(path.bucket(), path.key(), props, op, params.timeoutMillis(), RequestIds.of(ctx)))
                .onSuccess(r -> KvHandlers.guarded(ctx, () -> {
                    receipt(ctx, r);
                    if (r.outcome() != CasCoordinator.Outcome.APPLIED) {
                        throw preconditionFailed(ctx, r.record(), precondition.orElseThrow());
                    }
                    KeyRecord written = r.record().orElseThrow();
                    ctx.response().putHeader(KvHandlers.QUORUM_HEADER,
                            new WriteReceipt(r.required(), r.acked(), 0, 0).toHeader());
                    if (params.returnBody() && !value.tombstone()) {
                        kv.respondWithRecord(ctx, path, r.record(), 200);
                        return;
                    }
                    ctx.response()
                            .putHeader(KvHandlers.CONTEXT_HEADER, written.context().toToken())
                            .putHeader("ETag", "\"" + written.etag() + "\"")
                            .setStatusCode(204)
                            .end();
                }))
                .onFailure(ctx::fail);
    }

    private static void receipt(RoutingContext ctx, CasResult r) {
        ctx.response().putHeader(PAXOS_HEADER, "attempts=" + r.attempts() + "; roundTrips=" + r.roundTrips()
                + "; calls=" + r.calls());
    }

    private static ApiError preconditionFailed(RoutingContext ctx, Optional<KeyRecord> current, Precondition p) {
        Optional<String> etag = current.filter(r -> !r.isDeleted()).map(KeyRecord::etag);
        etag.ifPresent(e -> ctx.response().putHeader("ETag", "\"" + e + "\""));
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("currentEtag", etag.orElse(null));
        extras.put("applied", "none");
        String state = etag.map(e -> "the current value has ETag \"" + e + "\"").orElse("the key has no value");
        String detail;
        if (p.ifMatch().isPresent() && (etag.isEmpty() || !p.holds(current))) {
            detail = "precondition failed: If-Match did not match; " + state + "; nothing was written";
        } else {
            detail = "precondition failed: If-None-Match matched; " + state + "; nothing was written";
        }
        return new ApiError(412, "Precondition Failed", detail, extras);
    }
}
