package io.kvorum.node.coord;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.ReadRepairMode;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.config.NodeConfig;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coordinates a read: asks the key's live replicas (all of them at once with
 * {@code readFanout=all}; with {@code readFanout=required} R of them, this node first, then
 * another for each failure and all the rest once {@code readSpeculativeMillis} pass without R
 * replies), answers with the merge of the first R replies, and repairs replicas whose reply is
 * older than the merge (after answering by default; before answering with
 * {@code readRepair=blocking}). Late replies are merged and repaired too.
 */
public final class ReadCoordinator {
    private final Vertx vertx;
    private final ClusterView view;
    private final ReplicaClient replicas;
    private final NodeConfig.Reads settings;
    private final AtomicLong repairsSent = new AtomicLong();
    private final AtomicLong speculated = new AtomicLong();
    private final AtomicInteger rotation = new AtomicInteger();

    public ReadCoordinator(Vertx vertx, ClusterView view, ReplicaClient replicas) {
        this(vertx, view, replicas, NodeConfig.Reads.defaults());
    }

    public ReadCoordinator(Vertx vertx, ClusterView view, ReplicaClient replicas, NodeConfig.Reads settings) {
        this.vertx = vertx;
        this.view = view;
        this.replicas = replicas;
        this.settings = settings;
    }

    /** Reads that asked more replicas than R because R replies were late (readFanout=required). */
    public long speculativeReads() {
        return speculated.get();
    }

    /**
     * The order in which a read asks the targets: this node first when it is one (no network
     * hop), then the others, rotated from read to read so that the load spreads over them.
     */
    static List<Node> askOrder(List<Node> targets, String self, int rotation) {
        List<Node> order = new ArrayList<>(targets.size());
        List<Node> others = new ArrayList<>(targets.size());
        for (Node t : targets) {
            if (t.id().equals(self)) {
                order.add(t);
            } else {
                others.add(t);
            }
        }
        if (!others.isEmpty()) {
            int start = Math.floorMod(rotation, others.size());
            for (int i = 0; i < others.size(); i++) {
                order.add(others.get((start + i) % others.size()));
            }
        }
        return order;
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
        private long speculationTimer = -1;
        private List<Node> order;
        private int asked;

        Run(ReadCommand cmd, ReplicaPlan plan, StorageKey key) {
            this.cmd = cmd;
            this.plan = plan;
            this.key = key;
            this.tracker = QuorumTracker.of(plan.required(), plan.targetIds());
        }

        synchronized Future<ReadResult> start() {
            timer = vertx.setTimer(cmd.timeoutMillis(), id -> onDeadline());
            if (settings.fanout() == NodeConfig.ReadFanout.ALL) {
                order = plan.targets();
                ask(order.size());
            } else {
                order = askOrder(plan.targets(), view.selfId(), rotation.getAndIncrement());
                ask(plan.required());
                if (asked < order.size() && !quorumReached) {
                    speculationTimer = vertx.setTimer(settings.speculativeMillis(), id -> onSpeculation());
                }
            }
            return promise.future();
        }

        /** Asks the next {@code count} targets not asked yet. */
        private void ask(int count) {
            for (int i = 0; i < count && asked < order.size(); i++) {
                Node target = order.get(asked++);
                replicas.read(target, key, cmd.call()).onComplete(ar -> onReply(target, ar));
            }
        }

        private synchronized void onSpeculation() {
            if (!quorumReached && asked < order.size()) {
                speculated.incrementAndGet();
                ask(order.size() - asked);
            }
        }

        private synchronized void onReply(Node target, AsyncResult<Optional<KeyRecord>> ar) {
            if (ar.failed()) {
                tracker = tracker.onFailure(target.id(), QuorumErrors.reason(ar.cause()));
                if (!quorumReached) {
                    ask(1); // a failed replica is replaced by one not asked yet, if any
                }
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
                    cancelTimers();
                    promise.tryFail(QuorumErrors.unreachable("read", tracker, "replied"));
                }
                case PENDING -> { }
            }
        }

        private void onQuorum() {
            quorumReached = true;
            Optional<KeyRecord> merged = ReadRepairPlanner.merge(replies.values());
            int replied = tracker.successes();
            List<Future<Void>> repairs = repair(merged);
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
            cancelTimers();
            promise.tryComplete(new ReadResult(merged, new ReadReceipt(plan.required(), replied, repaired)));
        }

        /** Sends the merge to each replica that replied with something older, once per merged value. */
        private List<Future<Void>> repair(Optional<KeyRecord> merged) {
            List<Future<Void>> sent = new ArrayList<>();
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

        private void cancelTimers() {
            vertx.cancelTimer(timer);
            if (speculationTimer >= 0) {
                vertx.cancelTimer(speculationTimer);
            }
        }

        private synchronized void onDeadline() {
            cancelTimers();
            if (!quorumReached) {
                promise.tryFail(QuorumErrors.deadline("read", tracker, "replied", cmd.timeoutMillis()));
            }
        }
    }
}
