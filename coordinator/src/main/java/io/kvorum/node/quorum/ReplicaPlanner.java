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
    /**
     * The preference lists of the last ring planned for, computed once per partition: a ring
     * snapshot is immutable, and the walk around the ring showed up in profiles of every request.
     */
    private record PreferenceCache(RingSnapshot ring, List<?>[] byPartition) {
    }

    private static volatile PreferenceCache cache = new PreferenceCache(null, new List<?>[0]);

    private ReplicaPlanner() {
    }

    @SuppressWarnings("unchecked")
    private static List<Node> preference(RingSnapshot ring, int partition) {
        PreferenceCache c = cache;
        if (c.ring() != ring) {
            c = new PreferenceCache(ring, new List<?>[ring.partitions()]);
            cache = c;
        }
        if (partition < 0 || partition >= c.byPartition().length) {
            return ring.preferenceNodes(partition); // throws its own error
        }
        List<Node> list = (List<Node>) c.byPartition()[partition];
        if (list == null) {
            list = ring.preferenceNodes(partition); // unmodifiable; a racing duplicate is harmless
            c.byPartition()[partition] = list;
        }
        return list;
    }

    public static ReplicaPlan plan(RingSnapshot ring, LivenessView liveness, int partition, int n, int required) {
        return plan(ring, liveness, partition, n, required, false);
    }

    public static ReplicaPlan plan(RingSnapshot ring, LivenessView liveness, int partition, int n, int required,
                                   boolean sloppy) {
        List<Node> preference = preference(ring, partition);
        if (n > preference.size()) {
            throw new IllegalArgumentException("replication factor n=" + n + " exceeds the "
                    + preference.size() + " nodes in the cluster");
        }
        List<Node> replicas = preference.subList(0, n);
        List<Node> targets = new ArrayList<>(n);
        for (Node r : replicas) {
            if (liveness.isUp(r.id())) {
                targets.add(r);
            }
        }
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
