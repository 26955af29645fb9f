package io.kvorum.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.BucketRegistry;
import io.kvorum.node.config.NodeConfig;
import io.kvorum.node.coord.ReadCoordinator;
import io.kvorum.node.coord.ReadCoordinator.ReadCommand;
import io.kvorum.node.coord.WriteCoordinator;
import io.kvorum.node.coord.WriteCoordinator.WriteCommand;
import io.kvorum.node.coord.WriteCoordinator.WriteResult;
import io.kvorum.node.metrics.NodeMetrics;
import io.kvorum.node.paxos.Precondition;
import io.kvorum.node.quorum.ConsistencyLevel;
import io.kvorum.ring.Clock;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.VersionVector;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The client key-value API: GET, PUT and DELETE on /kv/{bucket}/{key}. */
public final class KvHandlers {
    public static final String CONTEXT_HEADER = "X-Kvorum-Context";
    public static final String QUORUM_HEADER = "X-Kvorum-Quorum";
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final String LEVEL_KEY = "kvorum.level";

    private final ObjectMapper mapper;
    private final BucketRegistry buckets;
    private final ReadCoordinator reads;
    private final WriteCoordinator writes;
    private final HlcGenerator hlc;
    private final NodeConfig.Limits limits;
    private final NodeMetrics metrics;
    private final Clock clock;
    private final CasHandlers cas;

    public KvHandlers(ObjectMapper mapper, BucketRegistry buckets, ReadCoordinator reads, WriteCoordinator writes,
                      HlcGenerator hlc, NodeConfig.Limits limits, NodeMetrics metrics, Clock clock, CasHandlers cas) {
        this.cas = cas;
        this.metrics = metrics;
        this.clock = clock;
        this.mapper = mapper;
        this.buckets = buckets;
        this.reads = reads;
        this.writes = writes;
        this.hlc = hlc;
        this.limits = limits;
    }

    /** Records the request's latency, consistency level and status when its response ends. */
    private void observe(RoutingContext ctx, String op) {
        long start = clock.nanos();
        ctx.addEndHandler(v -> {
            String level = ctx.get(LEVEL_KEY);
            metrics.clientRequest(op, level == null ? "invalid" : level, ctx.response().getStatusCode(),
                    clock.nanos() - start);
        });
    }

    private static KvParams noted(RoutingContext ctx, KvParams params) {
        ctx.put(LEVEL_KEY, params.level().toString());
        return params;
    }

    public void get(RoutingContext ctx) {
        observe(ctx, "get");
        KeyPath path = KeyPath.parse(ctx.request().path(), limits.maxKeyBytes());
        BucketProps props = buckets.props(path.bucket());
        KvParams params = noted(ctx,
                KvParams.forRead(query(ctx), props, limits.defaultTimeoutMillis(), limits.maxTimeoutMillis()));
        if (params.level().kind() == ConsistencyLevel.Kind.SERIAL) {
            cas.serialRead(ctx, this, path, props, params);
            return;
        }
        reads.read(new ReadCommand(path.bucket(), path.key(), props, params.level().required(props.n()),
                        params.timeoutMillis(), RequestIds.of(ctx)))
                .onSuccess(result -> guarded(ctx, () -> {
                    ctx.response().putHeader(QUORUM_HEADER, result.receipt().toHeader());
                    result.record().filter(r -> !r.isDeleted()).ifPresent(r -> metrics.siblingsPerRead(r.siblings().size()));
                    respondWithRecord(ctx, path, result.record(), 200);
                }))
                .onFailure(ctx::fail);
    }

    public void put(RoutingContext ctx) {
        observe(ctx, "put");
        Buffer body = ValueBodyHandler.value(ctx);
        String contentType = ctx.request().getHeader("Content-Type");
        byte[] value = body == null ? new byte[0] : body.getBytes();
        write(ctx, Sibling.ofFresh(value, contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE
                : contentType, hlc.now()), 204); // a fresh copy of the body: the sibling can take it as it is
    }

    public void delete(RoutingContext ctx) {
        observe(ctx, "delete");
        write(ctx, Sibling.tombstone(hlc.now()), 204);
    }

    private void write(RoutingContext ctx, Sibling value, int status) {
        KeyPath path = KeyPath.parse(ctx.request().path(), limits.maxKeyBytes());
        if (value.valueLength() > limits.maxValueBytes()) {
            throw new ApiError(413, "Content Too Large", "the value is " + value.valueLength()
                    + " bytes; the limit is " + limits.maxValueBytes() + " bytes (maxValueBytes)");
        }
        BucketProps props = buckets.props(path.bucket());
        KvParams params = noted(ctx,
                KvParams.forWrite(query(ctx), props, limits.defaultTimeoutMillis(), limits.maxTimeoutMillis()));
        Optional<Precondition> precondition = CasHandlers.precondition(ctx.request());
        if (precondition.isPresent() || params.level().kind() == ConsistencyLevel.Kind.SERIAL) {
            cas.write(ctx, this, path, props, params, value, precondition);
            return;
        }
        VersionVector context = context(ctx.request());
        writes.write(new WriteCommand(path.bucket(), path.key(), context, value, props,
                        params.level().writeRequired(props.n()), params.level().isAny(), params.timeoutMillis(),
                        params.sloppy(), RequestIds.of(ctx)))
                .onSuccess(result -> guarded(ctx,
                        () -> respondToWrite(ctx, path, result, params.returnBody() && !value.tombstone())))
                .onFailure(ctx::fail);
    }

    private void respondToWrite(RoutingContext ctx, KeyPath path, WriteResult result, boolean returnBody) {
        ctx.response().putHeader(QUORUM_HEADER, result.receipt().toHeader());
        if (returnBody) {
            respondWithRecord(ctx, path, Optional.of(result.record()), 200);
            return;
        }
        ctx.response()
                .putHeader(CONTEXT_HEADER, result.record().context().toToken())
                .putHeader("ETag", quote(result.record().etag()))
                .setStatusCode(204)
                .end();
    }

    void respondWithRecord(RoutingContext ctx, KeyPath path, Optional<KeyRecord> found, int okStatus) {
        HttpServerResponse resp = ctx.response();
        if (found.isEmpty() || found.get().isDeleted()) {
            found.ifPresent(r -> resp.putHeader(CONTEXT_HEADER, r.context().toToken()));
            throw ApiError.notFound("no value for key '" + KeyPath.encode(path.key()) + "' in bucket '"
                    + path.bucket() + "'" + (found.isPresent() ? " (deleted)" : ""));
        }
        KeyRecord record = found.get();
        List<Sibling> siblings = record.siblings();
        resp.putHeader(CONTEXT_HEADER, record.context().toToken())
                .putHeader("ETag", quote(record.etag()))
                .putHeader("Last-Modified", httpDate(record.newestStamp().wallMillis()));
        if (siblings.size() == 1) {
            Sibling s = siblings.get(0);
            resp.setStatusCode(okStatus).putHeader("Content-Type", s.contentType())
                    .end(Buffer.buffer(s.valueLength()).setBytes(0, s.valueView()));
            return;
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("context", record.context().toToken());
        ArrayNode arr = body.putArray("siblings");
        for (Sibling s : siblings) {
            ObjectNode o = arr.addObject();
            if (s.tombstone()) {
                o.put("deleted", true);
            } else {
                o.put("value", Base64.getEncoder().encodeToString(s.value()));
                textOf(s).ifPresent(t -> o.put("text", t));
                o.put("contentType", s.contentType());
            }
            o.put("lastModified", Instant.ofEpochMilli(s.lastModifiedMillis()).toString());
        }
        resp.setStatusCode(300).putHeader("Content-Type", "application/json").end(body.toString());
    }

    /** Runs a response step inside a callback, routing any exception to the error mapper. */
    static void guarded(RoutingContext ctx, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            ctx.fail(e);
        }
    }

    private static Optional<String> textOf(Sibling s) {
        String ct = s.contentType() == null ? "" : s.contentType().toLowerCase(Locale.ROOT);
        boolean textual = ct.startsWith("text/") || ct.contains("json") || ct.contains("xml")
                || ct.contains("charset=utf-8");
        if (!textual) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(s.value())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static VersionVector context(HttpServerRequest req) {
        List<String> tokens = req.headers().getAll(CONTEXT_HEADER);
        if (tokens.size() > 1) {
            throw ApiError.badRequest(CONTEXT_HEADER + " is given " + tokens.size() + " times: send the one value a "
                    + "GET returned");
        }
        String token = tokens.isEmpty() ? null : tokens.get(0);
        if (token == null || token.isBlank()) {
            return VersionVector.empty();
        }
        try {
            return VersionVector.fromToken(token.trim());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad " + CONTEXT_HEADER + " header: send back exactly the value a GET returned ("
                    + e.getMessage() + ")");
        }
    }

    static Map<String, List<String>> query(RoutingContext ctx) {
        MultiMap params = ctx.queryParams();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : params.names()) {
            out.put(name, params.getAll(name));
        }
        return out;
    }

    private static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    private static String httpDate(long millis) {
        return HttpDates.format(millis);
    }
}
