package io.kvorum.node.quorum;

import io.kvorum.ring.Node;

import java.util.List;

/**
 * The immutable plan for one request: the key's replicas (the first N nodes of its preference
 * list), those the local liveness view believes are up (the targets), and how many must answer.
 */
public record ReplicaPlan(int partition, List<Node> replicas, List<Node> targets, int required) {

    public ReplicaPlan {
        replicas = List.copyOf(replicas);
        targets = List.copyOf(targets);
    }

    /** True when enough targets are up that the quorum can be reached at all. */
    public boolean feasible() {
        return targets.size() >= required;
    }

    public List<String> targetIds() {
        return targets.stream().map(Node::id).toList();
    }

    public List<Node> downReplicas() {
        return replicas.stream().filter(r -> !targets.contains(r)).toList();
    }
}
