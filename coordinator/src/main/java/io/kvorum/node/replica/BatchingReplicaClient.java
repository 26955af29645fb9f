package io.kvorum.node.replica;

import io.kvorum.node.config.NodeConfig;
import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Remote replica calls coalesced per peer: each peer has a lane for reads and one for writes
 * (merges and causal writes), so that a read never waits for the commit of a write batch; a
 * {@link BatchLane} decides when messages leave, and a batch travels as one
 * {@code POST /internal/v1/batch} ({@link BatchCodec}). On an event loop, a message waits for the
 * end of the task that sent it, so that the messages one task (or several tasks in a row, such as
 * the client requests read in one pass over the sockets) sends to a peer share an exchange. Every
 * message keeps its own deadline and its own outcome: a batch that fails fails each of its
 * messages with its cause.
 */
public final class BatchingReplicaClient implements ReplicaClient {
    /** Told how many messages each batch carried. */
    public interface Listener {
        void batchSent(String peer, boolean writes, int messages);
    }

    private final HttpInternalClient http;
    private final NodeConfig.Coalescing settings;
    private final Listener listener;
    private final ConcurrentMap<String, BatchLane<Pending>> readLanes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, BatchLane<Pending>> writeLanes = new ConcurrentHashMap<>();

    public BatchingReplicaClient(HttpInternalClient http, NodeConfig.Coalescing settings, Listener listener) {
        this.http = http;
        this.settings = settings;
        this.listener = listener;
    }

    /** A message waiting for its batch's answer. */
    private record Pending(BatchCodec.Op op, long deadlineNanos, CompletableFuture<BatchCodec.Result> result) {
        int size() {
            return op.encodedSize();
        }
    }

    @Override
    public Future<Optional<KeyRecord>> read(Node replica, StorageKey key, Call call) {
        return submit(replica, readLanes, new BatchCodec.Op(BatchCodec.READ, 0, call.requestId(), key.encode()), call)
                .map(body -> body == null ? Optional.<KeyRecord>empty() : Optional.of(RecordCodec.decode(body)));
    }

    @Override
    public Future<Void> merge(Node replica, StorageKey key, KeyRecord record, Call call) {
        // acknowledged by status alone: the peer neither encodes nor sends back the merged record
        return submit(replica, writeLanes, new BatchCodec.Op(BatchCodec.MERGE_ACK, 0, call.requestId(),
                InternalCodec.encodeMerge(key, record)), call).mapEmpty();
    }

    @Override
    public Future<KeyRecord> causalWrite(Node replica, StorageKey key, VersionVector context, Sibling value,
                                         int maxSiblings, Call call) {
        return submit(replica, writeLanes, new BatchCodec.Op(BatchCodec.WRITE, maxSiblings, call.requestId(),
                InternalCodec.encodeWrite(key, context, value)), call).map(RecordCodec::decode);
    }

    private Future<byte[]> submit(Node replica, ConcurrentMap<String, BatchLane<Pending>> lanes, BatchCodec.Op op,
                                  Call call) {
        Pending pending = new Pending(op, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(call.timeoutMillis()),
                new CompletableFuture<>());
        BatchLane<Pending> lane = lanes.computeIfAbsent(replica.id(), id -> new BatchLane<>(settings.maxInFlight(),
                settings.maxOps(), settings.maxBytes(), Pending::size));
        Future<byte[]> answer = LocalReplica.onCaller(pending.result())
                .compose(r -> HttpInternalClient.interpret(replica, r.status(), r.body()))
                .timeout(call.timeoutMillis(), TimeUnit.MILLISECONDS);
        boolean writes = lanes == writeLanes;
        Context ctx = Vertx.currentContext();
        if (ctx == null || !ctx.isEventLoopContext()) {
            send(replica, writes, lane, lane.offer(pending));
        } else if (lane.add(pending)) {
            // after the task at hand: the messages it (and the tasks queued with it) adds leave together
            ctx.runOnContext(v -> flush(replica, writes, lane));
        }
        return answer;
    }

    private void flush(Node replica, boolean writes, BatchLane<Pending> lane) {
        for (List<Pending> batch = lane.flush(); !batch.isEmpty(); batch = lane.flush()) {
            send(replica, writes, lane, batch);
        }
    }

    private void send(Node replica, boolean writes, BatchLane<Pending> lane, List<Pending> batch) {
        while (!batch.isEmpty()) {
            long now = System.nanoTime();
            List<Pending> live = new ArrayList<>(batch.size());
            List<BatchCodec.Op> ops = new ArrayList<>(batch.size());
            long latest = now;
            for (Pending p : batch) {
                if (p.deadlineNanos() - now <= 0) {
                    p.result().completeExceptionally(new ReplicaCallException(replica.id(),
                            "the deadline passed before the message could be sent"));
                } else {
                    live.add(p);
                    ops.add(p.op());
                    latest = Math.max(latest, p.deadlineNanos());
                }
            }
            if (live.isEmpty()) {
                batch = lane.done();
                continue;
            }
            listener.batchSent(replica.id(), writes, live.size());
            long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(latest - now) + 1);
            Future<byte[]> exchange;
            try {
                exchange = http.batch(replica, BatchCodec.encodeRequest(ops), timeoutMillis);
            } catch (RuntimeException e) {
                exchange = Future.failedFuture(e);
            }
            exchange.onComplete(ar -> {
                complete(replica, live, ar);
                send(replica, writes, lane, lane.done());
            });
            return;
        }
    }

    private static void complete(Node replica, List<Pending> batch, AsyncResult<byte[]> answer) {
        if (answer.failed()) {
            batch.forEach(p -> p.result().completeExceptionally(answer.cause()));
            return;
        }
        List<BatchCodec.Result> results;
        try {
            results = BatchCodec.decodeResponse(answer.result() == null ? new byte[0] : answer.result(), batch.size());
        } catch (IllegalArgumentException e) {
            ReplicaCallException bad = new ReplicaCallException(replica.id(), "bad batch answer: " + e.getMessage());
            batch.forEach(p -> p.result().completeExceptionally(bad));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }
}
