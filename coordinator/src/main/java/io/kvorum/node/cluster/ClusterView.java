package io.kvorum.node.cluster;

import io.kvorum.ring.LivenessView;
import io.kvorum.ring.NodeStatus;
import io.kvorum.ring.RingSnapshot;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What this node currently believes about the cluster: the ring snapshot and the liveness view.
 * Both are immutable values; this holder swaps them atomically.
 */
public final class ClusterView {
    private final String selfId;
    private final AtomicReference<RingSnapshot> ring;
    private final AtomicReference<LivenessView> liveness;

    public ClusterView(String selfId, RingSnapshot ring, long now) {
        this.selfId = selfId;
        this.ring = new AtomicReference<>(ring);
        this.liveness = new AtomicReference<>(LivenessView.allUp(ring.members().keySet(), now));
    }

    public String selfId() {
        return selfId;
    }

    public RingSnapshot ring() {
        return ring.get();
    }

    public LivenessView liveness() {
        return liveness.get();
    }

    /** Replaces the liveness view by {@code next(current)}, atomically. */
    public LivenessView updateLiveness(java.util.function.UnaryOperator<LivenessView> next) {
        return liveness.updateAndGet(next);
    }

    public void mark(String nodeId, NodeStatus status, long now) {
        if (nodeId.equals(selfId)) {
            return;
        }
        liveness.updateAndGet(v -> v.withStatus(nodeId, status, now));
    }
}
