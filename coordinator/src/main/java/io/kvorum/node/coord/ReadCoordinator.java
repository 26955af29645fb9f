package io.kvorum.node.coord;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.ReadRepairMode;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.quorum.QuorumTracker;
import io.kvorum.node.quorum.ReadRepairPlanner;
import io.kvorum.node.quorum.ReplicaPlan;
import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.ReplicaClient;
import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.StorageKey;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coordinates a read: asks every live replica of the key, answers with the merge of the first R
 * replies, and repairs replicas whose reply is older than the merge (after answering by default;
 * before answering with {@code readRepair=blocking}). Late replies are merged and repaired too.
 */
public final class ReadCoordinator {
    private final Vertx vertx;
    private final ClusterView view;
    private final ReplicaClient replicas;
    private final AtomicLong repairsSent = new AtomicLong();

    public ReadCoordinator(Vertx vertx, ClusterView view, ReplicaClient replicas) {
        this.vertx = vertx;
        this.view = view;
        this.replicas = replicas;
    }

    public record ReadCommand(String bucket, byte[] key, BucketProps props, int required, long timeoutMillis,
                              String requestId) {
        Call call() {
            return new Call(timeoutMillis, requestId);
        }
    }

    public record ReadResult(Optional<KeyRecord> record, ReadReceipt receipt) {
    }

    /** Read repairs this node has sent since it started. */
    public long repairsSent() {
        return repairsSent.get();
    }

    public Future<ReadResult> read(ReadCommand cmd) {
        return QuorumErrors.plan(view, "read", "replied", cmd.bucket(), cmd.key(), cmd.props().n(), cmd.required())
                .compose(plan -> new Run(cmd, plan, new StorageKey(plan.partition(), cmd.bucket(), cmd.key())).start());
    }

    private final class Run {
        private final ReadCommand cmd;
        private final ReplicaPlan plan;
        private final StorageKey key;
        private final Promise<ReadResult> promise = Promise.promise();
        private final Map<String, Optional<KeyRecord>> replies = new LinkedHashMap<>();
        private final Map<String, KeyRecord> repairedWith = new HashMap<>();
        private QuorumTracker tracker;
        private boolean quorumReached;
        private long timer;

        Run(ReadCommand cmd, ReplicaPlan plan, StorageKey key) {
            this.cmd = cmd;
            this.plan = plan;
            this.key = key;
            this.tracker = QuorumTracker.of(plan.required(), plan.targetIds());
        }

        Future<ReadResult> start() {
            timer = vertx.setTimer(cmd.timeoutMillis(), id -> onDeadline());
            for (Node target : plan.targets()) {
                replicas.read(target, key, cmd.call()).onComplete(ar -> onReply(target, ar));
            }
            return promise.future();
        }

        private synchronized void onReply(Node target, AsyncResult<Optional<KeyRecord>> ar) {
            if (ar.failed()) {
                tracker = tracker.onFailure(target.id(), QuorumErrors.reason(ar.cause()));
            } else {
                tracker = tracker.onSuccess(target.id());
                replies.put(target.id(), ar.result());
            }
            if (quorumReached) {
                if (ar.succeeded()) {
                    repair(ReadRepairPlanner.merge(replies.values()));
                }
                return;
            }
            switch (tracker.outcome()) {
                case SUCCEEDED -> onQuorum();
                case FAILED -> {
                    vertx.cancelTimer(timer);
                    promise.tryFail(QuorumErrors.unreachable("read", tracker, "replied"));
                }
                case PENDING -> { }
            }
        }

        private void onQuorum() {
            quorumReached = true;
            Optional<KeyRecord> merged = ReadRepairPlanner.merge(replies.values());
            int replied = tracker.successes();
            List<Future<KeyRecord>> repairs = repair(merged);
            if (cmd.props().readRepair() == ReadRepairMode.BLOCKING && !repairs.isEmpty()) {
                List<Future<?>> settled = new ArrayList<>();
                repairs.forEach(f -> settled.add(f.otherwiseEmpty()));
                Future.join(settled).onComplete(x -> {
                    int ok = (int) repairs.stream().filter(Future::succeeded).count();
                    complete(merged, replied, ok);
                });
            } else {
                complete(merged, replied, repairs.size());
            }
        }

        private synchronized void complete(Optional<KeyRecord> merged, int replied, int repaired) {
            vertx.cancelTimer(timer);
            promise.tryComplete(new ReadResult(merged, new ReadReceipt(plan.required(), replied, repaired)));
        }

        /** Sends the merge to each replica that replied with something older, once per merged value. */
        private List<Future<KeyRecord>> repair(Optional<KeyRecord> merged) {
            List<Future<KeyRecord>> sent = new ArrayList<>();
            if (merged.isEmpty()) {
                return sent;
            }
            for (String stale : ReadRepairPlanner.staleReplicas(merged, replies)) {
                if (merged.get().equals(repairedWith.get(stale))) {
                    continue;
                }
                repairedWith.put(stale, merged.get());
                Node node = view.ring().member(stale);
                repairsSent.incrementAndGet();
                sent.add(replicas.merge(node, key, merged.get(), cmd.call()));
            }
            return sent;
        }

        private synchronized void onDeadline() {
            if (!quorumReached) {
                promise.tryFail(QuorumErrors.deadline("read", tracker, "replied", cmd.timeoutMillis()));
            }
        }
    }
}
