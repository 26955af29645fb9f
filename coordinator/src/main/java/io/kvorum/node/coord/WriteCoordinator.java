package io.kvorum.node.coord;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.ConflictMode;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.http.ApiError;
import io.kvorum.node.quorum.QuorumOutcome;
import io.kvorum.node.quorum.QuorumTracker;
import io.kvorum.node.quorum.ReplicaPlan;
import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.ReplicaClient;
import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * Coordinates a write: plans the targets, fails fast when too few are up, creates the new
 * version (at one replica in siblings mode, here in lww mode), sends it to the other targets and
 * counts acks with a {@link QuorumTracker} until the quorum is reached, lost, or the deadline
 * passes.
 */
public final class WriteCoordinator {
    private final Vertx vertx;
    private final ClusterView view;
    private final ReplicaClient replicas;

    private final Hinter hinter;

    public WriteCoordinator(Vertx vertx, ClusterView view, ReplicaClient replicas, Hinter hinter) {
        this.vertx = vertx;
        this.view = view;
        this.replicas = replicas;
        this.hinter = hinter;
    }

    /** A client write: the new value (or tombstone) and the context the client read. */
    public record WriteCommand(String bucket, byte[] key, VersionVector context, Sibling value, BucketProps props,
                               int required, long timeoutMillis, boolean sloppy, String requestId) {
        Call call() {
            return new Call(timeoutMillis, requestId);
        }
    }

    public record WriteResult(KeyRecord record, WriteReceipt receipt) {
    }

    public Future<WriteResult> write(WriteCommand cmd) {
        return QuorumErrors.plan(view, "write", "acked", cmd.bucket(), cmd.key(), cmd.props().n(), cmd.required())
                .compose(plan -> new Run(cmd, plan, new StorageKey(plan.partition(), cmd.bucket(), cmd.key())).start());
    }

    /** One write in flight. Callbacks may arrive on different threads, hence synchronized. */
    private final class Run {
        private final WriteCommand cmd;
        private final ReplicaPlan plan;
        private final StorageKey key;
        private final Promise<WriteResult> promise = Promise.promise();
        private QuorumTracker tracker;
        private KeyRecord written;
        private long timer;
        private int hintsInFlight;
        private int hinted;

        Run(WriteCommand cmd, ReplicaPlan plan, StorageKey key) {
            this.cmd = cmd;
            this.plan = plan;
            this.key = key;
            this.tracker = QuorumTracker.of(plan.required(), plan.targetIds());
        }

        Future<WriteResult> start() {
            timer = vertx.setTimer(cmd.timeoutMillis(), id -> onDeadline());
            if (cmd.props().conflict() == ConflictMode.LWW) {
                written = new LwwRecord(cmd.value(), VersionVector.empty());
                hintDownReplicas();
                for (Node target : plan.targets()) {
                    replicas.merge(target, key, written, cmd.call()).onComplete(ar -> onAck(target, ar));
                }
            } else {
                List<Node> origins = new ArrayList<>(plan.targets());
                origins.stream().filter(n -> n.id().equals(view.selfId())).findFirst().ifPresent(self -> {
                    origins.remove(self);
                    origins.add(0, self);
                });
                tryOrigin(origins, 0);
            }
            return promise.future();
        }

        private void tryOrigin(List<Node> origins, int index) {
            Node origin = origins.get(index);
            replicas.causalWrite(origin, key, cmd.context(), cmd.value(), cmd.props().maxSiblings(), cmd.call())
                    .onComplete(ar -> onOriginResult(origins, index, ar));
        }

        private synchronized void onOriginResult(List<Node> origins, int index, AsyncResult<KeyRecord> ar) {
            Node origin = origins.get(index);
            if (promise.future().isComplete()) {
                return;
            }
            if (ar.failed()) {
                if (ar.cause() instanceof ApiError api) {
                    finish(null, api);
                    return;
                }
                tracker = tracker.onFailure(origin.id(), QuorumErrors.reason(ar.cause()));
                if (tracker.outcome() == QuorumOutcome.FAILED || index + 1 >= origins.size()) {
                    finish(null, QuorumErrors.unreachable("write", tracker, "acked"));
                } else {
                    tryOrigin(origins, index + 1);
                }
                return;
            }
            written = ar.result();
            tracker = tracker.onSuccess(origin.id());
            hintDownReplicas();
            origins.subList(0, index).forEach(this::hintLater);
            for (Node target : origins.subList(index + 1, origins.size())) {
                replicas.merge(target, key, written, cmd.call()).onComplete(r -> onAck(target, r));
            }
            check();
        }

        private synchronized void onAck(Node target, AsyncResult<KeyRecord> ar) {
            tracker = ar.succeeded() ? tracker.onSuccess(target.id())
                    : tracker.onFailure(target.id(), QuorumErrors.reason(ar.cause()));
            if (ar.failed()) {
                hintLater(target);
            }
            check();
        }

        /**
         * Hints the key's replicas that were not contacted because they are down. The answer waits
         * for these hints to be durable, so the receipt's hinted count is a promise kept.
         */
        private void hintDownReplicas() {
            if (!cmd.sloppy()) {
                return;
            }
            for (Node down : plan.downReplicas()) {
                hintsInFlight++;
                hinter.hint(down, key, written).onComplete(ar -> onHinted(ar.succeeded() && ar.result()));
            }
        }

        /** A replica that failed or timed out after being sent the write gets a hint, whenever that happens. */
        private void hintLater(Node target) {
            if (cmd.sloppy() && written != null) {
                hinter.hint(target, key, written);
            }
        }

        private synchronized void onHinted(boolean stored) {
            hintsInFlight--;
            if (stored) {
                hinted++;
            }
            check();
        }

        private void check() {
            if (promise.future().isComplete()) {
                return;
            }
            switch (tracker.outcome()) {
                case SUCCEEDED -> {
                    if (hintsInFlight == 0) {
                        finish(new WriteResult(written,
                                new WriteReceipt(tracker.required(), tracker.successes(), 0, hinted)), null);
                    }
                }
                case FAILED -> finish(null, QuorumErrors.unreachable("write", tracker, "acked"));
                case PENDING -> { }
            }
        }

        private synchronized void onDeadline() {
            if (!promise.future().isComplete()) {
                promise.fail(QuorumErrors.deadline("write", tracker, "acked", cmd.timeoutMillis()));
            }
        }

        private void finish(WriteResult result, Throwable error) {
            vertx.cancelTimer(timer);
            if (error != null) {
                promise.tryFail(error);
            } else {
                promise.tryComplete(result);
            }
        }
    }
}
