package io.kvorum.node.quorum;

import io.kvorum.ring.LivenessView;
import io.kvorum.ring.Node;
import io.kvorum.ring.RingSnapshot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a request from a ring snapshot and a liveness view, without I/O. Reads and strict writes
 * target the key's N primary replicas that are up. A sloppy write (Dynamo's sloppy quorum) also
 * walks the preference list past the N primaries and gives each primary that is down the next
 * live fallback, which will hold the write as a hint for that primary.
 */
public final class ReplicaPlanner {
    private ReplicaPlanner() {
    }

    public static ReplicaPlan plan(RingSnapshot ring, LivenessView liveness, int partition, int n, int required) {
        return plan(ring, liveness, partition, n, required, false);
    }

    public static ReplicaPlan plan(RingSnapshot ring, LivenessView liveness, int partition, int n, int required,
                                   boolean sloppy) {
        List<Node> preference = ring.preferenceNodes(partition);
        if (n > preference.size()) {
            throw new IllegalArgumentException("replication factor n=" + n + " exceeds the "
                    + preference.size() + " nodes in the cluster");
        }
        List<Node> replicas = preference.subList(0, n);
        List<Node> targets = new ArrayList<>(replicas.stream().filter(r -> liveness.isUp(r.id())).toList());
        Map<String, String> standIns = new LinkedHashMap<>();
        if (sloppy) {
            Iterator<Node> fallbacks = preference.subList(n, preference.size()).stream()
                    .filter(f -> liveness.isUp(f.id())).iterator();
            for (Node primary : replicas) {
                if (!liveness.isUp(primary.id()) && fallbacks.hasNext()) {
                    Node fallback = fallbacks.next();
                    targets.add(fallback);
                    standIns.put(fallback.id(), primary.id());
                }
            }
        }
        return new ReplicaPlan(partition, replicas, targets, standIns, required);
    }
}
