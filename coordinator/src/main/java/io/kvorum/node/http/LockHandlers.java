package io.kvorum.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.BucketRegistry;
import io.kvorum.node.bucket.ConflictMode;
import io.kvorum.node.config.NodeConfig;
import io.kvorum.node.paxos.CasCoordinator;
import io.kvorum.node.paxos.CasCoordinator.CasCommand;
import io.kvorum.node.paxos.CasCoordinator.CasResult;
import io.kvorum.node.paxos.CasOperation;
import io.kvorum.node.paxos.Leases;
import io.kvorum.node.paxos.Leases.Lease;
import io.kvorum.node.paxos.Leases.Refusal;
import io.kvorum.ring.Clock;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Leases with fencing tokens: {@code POST /locks/{name}?ttl=SECONDS} acquires (201 with the token,
 * or 409 with the current holder's expiry), {@code PUT /locks/{name}?token=T[&ttl=SECONDS]} renews,
 * {@code DELETE /locks/{name}?token=T} releases, {@code GET /locks/{name}} shows the lease. Each is
 * one compare-and-set on the lock's key in the reserved bucket (see {@link Leases}).
 */
public final class LockHandlers {
    private final ObjectMapper mapper;
    private final BucketRegistry buckets;
    private final CasCoordinator cas;
    private final Leases leases;
    private final NodeConfig.Limits limits;
    private final long minTtlSeconds;
    private final long maxTtlSeconds;
    private final Clock clock;

    public LockHandlers(ObjectMapper mapper, BucketRegistry buckets, CasCoordinator cas, NodeConfig.Limits limits,
                        long minTtlSeconds, long maxTtlSeconds, Clock clock) {
        this.clock = clock;
        this.mapper = mapper;
        this.buckets = buckets;
        this.cas = cas;
        this.leases = new Leases(mapper);
        this.limits = limits;
        this.minTtlSeconds = minTtlSeconds;
        this.maxTtlSeconds = maxTtlSeconds;
    }

    public void acquire(RoutingContext ctx) {
        byte[] name = name(ctx);
        Map<String, String> q = query(ctx, Set.of("ttl", "timeout"));
        long ttl = ttlSeconds(q.get("ttl"));
        run(ctx, name, q, leases.acquire(ttl * 1000)).onSuccess(r -> KvHandlers.guarded(ctx, () -> {
            if (r.outcome() != CasCoordinator.Outcome.APPLIED) {
                throw refused(ctx, name, (Refusal) r.refusal(), 0);
            }
            respond(ctx, 201, name, leases.lease(r.record()).orElseThrow());
        })).onFailure(ctx::fail);
    }

    public void renew(RoutingContext ctx) {
        byte[] name = name(ctx);
        Map<String, String> q = query(ctx, Set.of("token", "ttl", "timeout"));
        long token = token(q.get("token"));
        long ttl = q.containsKey("ttl") ? ttlSeconds(q.get("ttl")) : -1;
        CasOperation renew = ttl > 0 ? leases.renew(token, ttl * 1000) : (current, now) -> leases
                .renew(token, leases.lease(current).map(Lease::ttlMillis).orElse(minTtlSeconds * 1000))
                .decide(current, now);
        run(ctx, name, q, renew).onSuccess(r -> KvHandlers.guarded(ctx, () -> {
            if (r.outcome() != CasCoordinator.Outcome.APPLIED) {
                throw refused(ctx, name, (Refusal) r.refusal(), token);
            }
            respond(ctx, 200, name, leases.lease(r.record()).orElseThrow());
        })).onFailure(ctx::fail);
    }

    public void release(RoutingContext ctx) {
        byte[] name = name(ctx);
        Map<String, String> q = query(ctx, Set.of("token", "timeout"));
        long token = token(q.get("token"));
        run(ctx, name, q, leases.release(token)).onSuccess(r -> KvHandlers.guarded(ctx, () -> {
            if (r.outcome() != CasCoordinator.Outcome.APPLIED) {
                throw refused(ctx, name, (Refusal) r.refusal(), token);
            }
            ctx.response().setStatusCode(204).end();
        })).onFailure(ctx::fail);
    }

    public void status(RoutingContext ctx) {
        byte[] name = name(ctx);
        Map<String, String> q = query(ctx, Set.of("timeout"));
        run(ctx, name, q, CasOperation.read()).onSuccess(r -> KvHandlers.guarded(ctx, () -> {
            Lease lease = leases.lease(r.record()).orElseThrow(() -> ApiError.notFound(
                    "no lock named '" + KeyPath.encode(name) + "' was ever acquired"));
            respond(ctx, 200, name, lease);
        })).onFailure(ctx::fail);
    }

    private io.vertx.core.Future<CasResult> run(RoutingContext ctx, byte[] name, Map<String, String> q,
                                               CasOperation op) {
        BucketProps p = buckets.props(Leases.BUCKET);
        BucketProps props = new BucketProps(p.n(), p.r(), p.w(), ConflictMode.LWW, false, p.readRepair(),
                p.maxSiblings());
        return cas.execute(new CasCommand(Leases.BUCKET, name, props, op, timeout(q.get("timeout")),
                        RequestIds.of(ctx)))
                .onSuccess(r -> ctx.response().putHeader(CasHandlers.PAXOS_HEADER, "attempts=" + r.attempts()
                        + "; roundTrips=" + r.roundTrips() + "; calls=" + r.calls()));
    }

    private void respond(RoutingContext ctx, int status, byte[] name, Lease lease) {
        ObjectNode body = mapper.createObjectNode();
        body.put("name", new String(name, java.nio.charset.StandardCharsets.UTF_8));
        body.put("token", lease.token());
        body.put("expiresAt", lease.expiresAtMillis());
        body.put("expiresAtIso", Instant.ofEpochMilli(lease.expiresAtMillis()).toString());
        body.put("ttlSeconds", lease.ttlMillis() / 1000);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }

    private ApiError refused(RoutingContext ctx, byte[] name, Refusal refusal, long token) {
        String lock = "lock '" + KeyPath.encode(name) + "'";
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("reason", refusal.reason().name().toLowerCase(java.util.Locale.ROOT));
        Optional<Lease> lease = refusal.lease();
        return switch (refusal.reason()) {
            case HELD -> {
                Lease l = lease.orElseThrow();
                extras.put("expiresAt", l.expiresAtMillis());
                extras.put("expiresAtIso", Instant.ofEpochMilli(l.expiresAtMillis()).toString());
                long wait = Math.max(0, l.expiresAtMillis() - clock.millis());
                ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (wait + 999) / 1000)));
                yield new ApiError(409, "Conflict", lock + " is held by another client until "
                        + Instant.ofEpochMilli(l.expiresAtMillis()) + "; retry after it expires", extras);
            }
            case NO_SUCH_LOCK -> new ApiError(404, "Not Found", lock + " was never acquired", extras);
            case STALE_TOKEN -> {
                lease.filter(l -> l.expiresAtMillis() > 0).ifPresent(l -> extras.put("expiresAt", l.expiresAtMillis()));
                yield new ApiError(409, "Conflict", "token " + token + " is not the current token of " + lock
                        + ": another client acquired it since, or the token is wrong; stop using the resource", extras);
            }
            case EXPIRED -> {
                lease.ifPresent(l -> extras.put("expiredAt", l.expiresAtMillis()));
                yield new ApiError(409, "Conflict", "the lease of token " + token + " on " + lock
                        + " has expired or was released; acquire the lock again for a new token", extras);
            }
        };
    }

    private byte[] name(RoutingContext ctx) {
        String raw = ctx.request().path().substring("/locks/".length());
        byte[] name = KeyPath.percentDecode(raw);
        if (name.length == 0) {
            throw ApiError.badRequest("the lock name is empty; names are 1 to " + limits.maxKeyBytes() + " bytes");
        }
        if (name.length > limits.maxKeyBytes()) {
            throw ApiError.badRequest("the lock name is " + name.length + " bytes after URL decoding; the limit is "
                    + limits.maxKeyBytes() + " bytes (maxKeyBytes)");
        }
        return name;
    }

    /** The query parameters, each at most once and each one of {@code allowed}; otherwise 400. */
    static Map<String, String> query(RoutingContext ctx, Set<String> allowed) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : KvHandlers.query(ctx).entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiError.badRequest("unknown query parameter '" + e.getKey() + "'; this request accepts "
                        + allowed.stream().sorted().toList());
            }
            if (e.getValue().size() > 1) {
                throw ApiError.badRequest("query parameter '" + e.getKey() + "' is given more than once");
            }
            out.put(e.getKey(), e.getValue().get(0));
        }
        return out;
    }

    private long ttlSeconds(String v) {
        if (v == null) {
            throw ApiError.badRequest("the ttl query parameter is required: the lease's length in whole seconds, "
                    + minTtlSeconds + " to " + maxTtlSeconds);
        }
        long ttl;
        try {
            ttl = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("ttl must be a whole number of seconds, got '" + v + "'");
        }
        if (ttl < minTtlSeconds || ttl > maxTtlSeconds) {
            throw ApiError.badRequest("ttl must be between " + minTtlSeconds + " and " + maxTtlSeconds
                    + " seconds (lockMinTtlSeconds, lockMaxTtlSeconds), got " + ttl);
        }
        return ttl;
    }

    private static long token(String v) {
        if (v == null) {
            throw ApiError.badRequest("the token query parameter is required: the fencing token the acquire returned");
        }
        try {
            long token = Long.parseLong(v.trim());
            if (token < 1) {
                throw new NumberFormatException();
            }
            return token;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("token must be a positive whole number (the fencing token the acquire "
                    + "returned), got '" + v + "'");
        }
    }

    private long timeout(String v) {
        if (v == null) {
            return limits.defaultTimeoutMillis();
        }
        long t;
        try {
            t = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("timeout must be a whole number of milliseconds, got '" + v + "'");
        }
        if (t < 1 || t > limits.maxTimeoutMillis()) {
            throw ApiError.badRequest("timeout must be between 1 and " + limits.maxTimeoutMillis()
                    + " ms (maxTimeoutMillis), got " + t);
        }
        return t;
    }
}
