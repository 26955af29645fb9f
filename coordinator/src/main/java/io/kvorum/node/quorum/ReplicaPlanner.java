package io.kvorum.node.quorum;

import io.kvorum.ring.LivenessView;
import io.kvorum.ring.Node;
import io.kvorum.ring.RingSnapshot;

import java.util.List;

/**
 * Plans a request from a ring snapshot and a liveness view, without I/O. Strict quorum: the
 * targets are the key's N primary replicas that are up (sloppy fallbacks arrive with hinted
 * handoff).
 */
public final class ReplicaPlanner {
    private ReplicaPlanner() {
    }

    public static ReplicaPlan plan(RingSnapshot ring, LivenessView liveness, int partition, int n, int required) {
        List<Node> preference = ring.preferenceNodes(partition);
        if (n > preference.size()) {
            throw new IllegalArgumentException("replication factor n=" + n + " exceeds the "
                    + preference.size() + " nodes in the cluster");
        }
        List<Node> replicas = preference.subList(0, n);
        List<Node> up = replicas.stream().filter(r -> liveness.isUp(r.id())).toList();
        return new ReplicaPlan(partition, replicas, up, required);
    }
}
