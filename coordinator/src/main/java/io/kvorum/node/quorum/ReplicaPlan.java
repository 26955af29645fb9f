package io.kvorum.node.quorum;

import io.kvorum.ring.Node;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable plan for one request: the key's replicas (the first N nodes of its preference
 * list), the targets to contact (the replicas the local liveness view believes are up, plus, in
 * a sloppy write, one live fallback for each replica that is down), which primary each fallback
 * stands in for, and how many must answer.
 */
public record ReplicaPlan(int partition, List<Node> replicas, List<Node> targets, Map<String, String> standIns,
                          int required) {

    public ReplicaPlan {
        replicas = List.copyOf(replicas);
        targets = List.copyOf(targets);
        standIns = Map.copyOf(standIns);
    }

    public ReplicaPlan(int partition, List<Node> replicas, List<Node> targets, int required) {
        this(partition, replicas, targets, Map.of(), required);
    }

    /** True when enough targets are up that the quorum can be reached at all. */
    public boolean feasible() {
        return targets.size() >= required;
    }

    public List<String> targetIds() {
        String[] ids = new String[targets.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = targets.get(i).id();
        }
        return List.of(ids);
    }

    /** The key's replicas that are not contacted directly (down in the liveness view). */
    public List<Node> downReplicas() {
        return replicas.stream().filter(r -> !targets.contains(r)).toList();
    }

    /** The primary a fallback target stands in for; empty for a primary target. */
    public Optional<String> standsInFor(String targetId) {
        return Optional.ofNullable(standIns.get(targetId));
    }

    /** The primary targets (replicas of the key that are up). */
    public List<Node> primaryTargets() {
        return targets.stream().filter(t -> !standIns.containsKey(t.id())).toList();
    }
}
