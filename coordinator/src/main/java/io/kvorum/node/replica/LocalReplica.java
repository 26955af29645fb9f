package io.kvorum.node.replica;

import io.kvorum.node.http.ApiError;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordSizeLimitException;
import io.kvorum.storage.SiblingLimitException;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.RecordWrites;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageEngine;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's replica: the replica operations over the storage engine. The engine runs on its own
 * thread; results come back on the caller's Vert.x context.
 */
public final class LocalReplica {
    private final String nodeId;
    private final StorageEngine engine;
    private final long maxRecordBytes;
    private final AtomicLong lwwDiscarded = new AtomicLong();

    private final HlcGenerator hlc;

    public LocalReplica(String nodeId, StorageEngine engine, HlcGenerator hlc) {
        this(nodeId, engine, hlc, Long.MAX_VALUE);
    }

    /** @param maxRecordBytes the most bytes of values a client write may leave on one key (maxRecordBytes) */
    public LocalReplica(String nodeId, StorageEngine engine, HlcGenerator hlc, long maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.nodeId = nodeId;
        this.engine = engine;
        this.hlc = hlc;
    }

    public String nodeId() {
        return nodeId;
    }

    public StorageEngine engine() {
        return engine;
    }

    /** LWW writes that arrived with an older timestamp than the value already stored and were dropped. */
    public long lwwDiscarded() {
        return lwwDiscarded.get();
    }

    public Future<Optional<KeyRecord>> read(StorageKey key) {
        holdUntilEndOfTask();
        return onCaller(engine.read(key));
    }

    public Future<KeyRecord> merge(StorageKey key, KeyRecord incoming) {
        hlc.observe(incoming.newestStamp());
        holdUntilEndOfTask();
        return onCaller(engine.merge(key, incoming).thenApply(m -> {
            m.previous().ifPresent(current -> {
                if (incoming instanceof LwwRecord && m.stored().equals(current) && !incoming.equals(current)) {
                    lwwDiscarded.incrementAndGet();
                }
            });
            return m.stored();
        }));
    }

    public Future<KeyRecord> causalWrite(StorageKey key, VersionVector context, Sibling value, int maxSiblings) {
        holdUntilEndOfTask();
        return onCaller(engine.update(key, current -> RecordWrites.causalWrite(current,
                        blindDelete(value, context) ? current.map(KeyRecord::context).orElse(context) : context,
                        value, nodeId, maxSiblings, maxRecordBytes)))
                .recover(e -> Future.failedFuture(translate(e)));
    }

    /**
     * On an event loop, the storage operations of the task at hand (a batch of replica messages,
     * the client requests read in one pass over the sockets) reach the storage engine together
     * once it is done: one hand-off to the engine's thread, and one wake-up of it, instead of one
     * per operation. Nothing here waits for them meanwhile: every caller gets a future.
     */
    private void holdUntilEndOfTask() {
        Context ctx = Vertx.currentContext();
        if (ctx != null && ctx.isEventLoopContext() && engine.holdSubmissions()) {
            ctx.runOnContext(v -> engine.releaseHeld());
        }
    }

    /**
     * A DELETE without a context deletes every value this replica has seen (Riak fetches the
     * context for a blind delete in the same way); a PUT without a context adds a sibling.
     */
    private static boolean blindDelete(Sibling value, VersionVector context) {
        return value.tombstone() && context.isEmpty();
    }

    private static Throwable translate(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof SiblingLimitException s) {
            return new ApiError(409, "Conflict", "the key would have " + s.siblings() + " siblings; the bucket's "
                    + "limit is " + s.limit() + " (maxSiblings): read the key and write with its "
                    + "X-Kvorum-Context to resolve the siblings", Map.of("siblings", s.siblings(), "limit", s.limit()));
        }
        if (cause instanceof RecordSizeLimitException s) {
            return new ApiError(409, "Conflict", "the key would hold " + s.bytes() + " bytes of values in "
                    + s.siblings() + " siblings; the limit is " + s.limit() + " bytes (maxRecordBytes): read the key "
                    + "and write with its X-Kvorum-Context to resolve the siblings",
                    Map.of("bytes", s.bytes(), "limit", s.limit(), "siblings", s.siblings()));
        }
        return cause;
    }

    public static <T> Future<T> onCaller(CompletionStage<T> stage) {
        Context ctx = Vertx.currentContext();
        return ctx == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, ctx);
    }
}
