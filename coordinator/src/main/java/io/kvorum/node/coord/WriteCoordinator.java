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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Coordinates a write: plans the targets (the key's live replicas and, in a sloppy write, one
 * live fallback per replica that is down), fails fast when too few are up, creates the new
 * version (at one replica in siblings mode, here in lww mode), sends it to the other targets
 * (fallbacks store it as a hint for the replica they stand in for) and counts acks with a
 * {@link QuorumTracker} until the quorum is reached, lost, or the deadline passes. Replicas that
 * are down without a fallback, or that fail, get a hint stored here.
 */
public final class WriteCoordinator {
    private final Vertx vertx;
    private final ClusterView view;
    private final ReplicaClient replicas;
    private final Hinter hinter;
    private final FallbackHints fallbacks;

    public WriteCoordinator(Vertx vertx, ClusterView view, ReplicaClient replicas, Hinter hinter,
                            FallbackHints fallbacks) {
        this.vertx = vertx;
        this.view = view;
        this.replicas = replicas;
        this.hinter = hinter;
        this.fallbacks = fallbacks;
    }

    /**
     * A client write: the new value (or tombstone) and the context the client read; {@code any}
     * when a stored hint is enough to acknowledge it (consistency=ANY, required is then 1).
     */
    public record WriteCommand(String bucket, byte[] key, VersionVector context, Sibling value, BucketProps props,
                               int required, boolean any, long timeoutMillis, boolean sloppy, String requestId) {
        Call call() {
            return new Call(timeoutMillis, requestId);
        }
    }

    public record WriteResult(KeyRecord record, WriteReceipt receipt) {
    }

    public Future<WriteResult> write(WriteCommand cmd) {
        return QuorumErrors.planWrite(view, cmd.bucket(), cmd.key(), cmd.props().n(), cmd.required(), cmd.sloppy(),
                        cmd.any())
                .compose(plan -> {
                    if (cmd.props().conflict() != ConflictMode.LWW && plan.primaryTargets().isEmpty()) {
                        return Future.failedFuture(QuorumErrors.noPrimaryToCreateVersion(plan));
                    }
                    return new Run(cmd, plan, new StorageKey(plan.partition(), cmd.bucket(), cmd.key())).start();
                });
    }

    /** One write in flight. Callbacks may arrive on different threads, hence synchronized. */
    private final class Run {
        private final WriteCommand cmd;
        private final ReplicaPlan plan;
        private final StorageKey key;
        private final Map<String, Node> nodes;
        private final Promise<WriteResult> promise = Promise.promise();
        private QuorumTracker tracker;
        private KeyRecord written;
        private long timer;
        private int hintsInFlight;
        private int hinted;
        private int fallbackAcks;

        Run(WriteCommand cmd, ReplicaPlan plan, StorageKey key) {
            this.cmd = cmd;
            this.plan = plan;
            this.key = key;
            this.nodes = view.ring().members();
            this.tracker = QuorumTracker.of(plan.required(), plan.targetIds());
        }

        Future<WriteResult> start() {
            timer = vertx.setTimer(cmd.timeoutMillis(), id -> onDeadline());
            if (cmd.props().conflict() == ConflictMode.LWW) {
                synchronized (this) {
                    written = new LwwRecord(cmd.value(), VersionVector.empty());
                    hintDownReplicas();
                    send(plan.targets());
                    check();
                }
            } else {
                List<Node> origins = new ArrayList<>(plan.primaryTargets());
                origins.stream().filter(n -> n.id().equals(view.selfId())).findFirst().ifPresent(self -> {
                    origins.remove(self);
                    origins.add(0, self);
                });
                tryOrigin(origins, 0);
            }
            return promise.future();
        }

        /** Sends the written version to targets: merged by primaries, held as a hint by fallbacks. */
        private void send(List<Node> targets) {
            for (Node target : targets) {
                Optional<String> primary = plan.standsInFor(target.id());
                if (primary.isPresent()) {
                    fallbacks.store(target, nodes.get(primary.get()), key, written, cmd.call())
                            .onComplete(ar -> onAck(target, ar));
                } else {
                    replicas.merge(target, key, written, cmd.call()).onComplete(ar -> onAck(target, ar));
                }
            }
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
                if (index + 1 >= origins.size() || (tracker.outcome() == QuorumOutcome.FAILED && !cmd.any())) {
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
            Set<Node> done = Set.copyOf(origins.subList(0, index + 1));
            send(plan.targets().stream().filter(t -> !done.contains(t)).toList());
            check();
        }

        private synchronized void onAck(Node target, AsyncResult<?> ar) {
            boolean awaited = tracker.targets().contains(target.id()) && !tracker.succeeded().contains(target.id())
                    && !tracker.failed().containsKey(target.id());
            tracker = ar.succeeded() ? tracker.onSuccess(target.id())
                    : tracker.onFailure(target.id(), QuorumErrors.reason(ar.cause()));
            if (ar.succeeded() && awaited && plan.standsInFor(target.id()).isPresent()) {
                fallbackAcks++;
            }
            if (ar.failed()) {
                // A fallback that failed leaves its primary without the write: hint the primary.
                hintLater(plan.standsInFor(target.id()).map(nodes::get).orElse(target));
            }
            check();
        }

        /**
         * Hints the key's replicas that are down and have no fallback standing in for them. The
         * answer waits for these hints to be durable, so the receipt's hinted count is a promise kept.
         */
        private void hintDownReplicas() {
            List<Node> downReplicas = plan.downReplicas();
            if (!cmd.sloppy() || downReplicas.isEmpty()) {
                return;
            }
            Set<String> covered = Set.copyOf(plan.standIns().values());
            for (Node down : downReplicas) {
                if (!covered.contains(down.id())) {
                    hint(down);
                }
            }
        }

        /**
         * A replica that failed or timed out after being sent the write gets a hint, whenever that
         * happens. Until the write is answered these hints count like those of down replicas (a
         * write at ANY may need one of them as its acknowledgement).
         */
        private void hintLater(Node target) {
            if (cmd.sloppy() && written != null) {
                if (promise.future().isComplete()) {
                    hinter.hint(target, key, written);
                } else {
                    hint(target);
                }
            }
        }

        private void hint(Node target) {
            hintsInFlight++;
            hinter.hint(target, key, written).onComplete(ar -> onHinted(ar.succeeded() && ar.result()));
        }

        private synchronized void onHinted(boolean stored) {
            hintsInFlight--;
            if (stored) {
                hinted++;
            }
            check();
        }

        private void check() {
            if (promise.future().isComplete() || hintsInFlight > 0) {
                return;
            }
            switch (tracker.outcome()) {
                case SUCCEEDED -> succeed();
                case FAILED -> {
                    if (cmd.any() && hinted > 0) {
                        succeed();
                    } else if (!cmd.any() || written != null) {
                        finish(null, QuorumErrors.unreachable("write", tracker, "acked"));
                    }
                }
                case PENDING -> { }
            }
        }

        private void succeed() {
            finish(new WriteResult(written, new WriteReceipt(tracker.required(), tracker.successes(),
                    fallbackAcks, hinted)), null);
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
