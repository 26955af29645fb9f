package io.kvorum.node.coord;

import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.http.ApiError;
import io.kvorum.node.quorum.ReplicaPlanner;
import io.kvorum.ring.RingSnapshot;
import io.vertx.core.Future;
import io.kvorum.node.quorum.QuorumTracker;
import io.kvorum.node.quorum.ReplicaPlan;
import io.kvorum.ring.Node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the problem+json errors of quorum failures, with their numbers. */
final class QuorumErrors {
    private QuorumErrors() {
    }

    /**
     * Plans a request for a key: a 400 when the bucket's n cannot be met by this cluster, a 503
     * (nothing sent) when too few of the key's replicas are up, else the plan.
     */
    static Future<ReplicaPlan> plan(ClusterView view, String op, String countName, String bucket, byte[] key,
                                    int n, int required) {
        RingSnapshot ring = view.ring();
        ReplicaPlan plan;
        try {
            plan = ReplicaPlanner.plan(ring, view.liveness(), ring.partitionOf(bucket, key), n, required);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ApiError.badRequest(e.getMessage()));
        }
        return plan.feasible() ? Future.succeededFuture(plan) : Future.failedFuture(unavailable(op, plan, countName));
    }

    /**
     * Plans a write: a sloppy write walks into fallbacks for the replicas that are down; a write
     * at ANY is always feasible, since a hint stored by this coordinator acknowledges it. A 400
     * when the bucket's n cannot be met, a 503 (nothing written) when too few targets are up.
     */
    static Future<ReplicaPlan> planWrite(ClusterView view, String bucket, byte[] key, int n, int required,
                                         boolean sloppy, boolean any) {
        RingSnapshot ring = view.ring();
        ReplicaPlan plan;
        try {
            plan = ReplicaPlanner.plan(ring, view.liveness(), ring.partitionOf(bucket, key), n, required, sloppy);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ApiError.badRequest(e.getMessage()));
        }
        return plan.feasible() || (any && sloppy) ? Future.succeededFuture(plan)
                : Future.failedFuture(unavailable("write", plan, "acked"));
    }

    /** A siblings-mode write needs a live primary replica to create the new version. */
    static ApiError noPrimaryToCreateVersion(ReplicaPlan plan) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", plan.required());
        extras.put("acked", 0);
        extras.put("alive", plan.primaryTargets().size());
        extras.put("down", plan.downReplicas().stream().map(Node::id).toList());
        extras.put("applied", "none");
        return new ApiError(503, "Service Unavailable", "none of the key's " + plan.replicas().size()
                + " replicas is up, and in a siblings bucket the new version must be created by one of them "
                + "(fallbacks and hints can only carry an existing version); nothing was written", extras);
    }

    static ApiError unavailable(String op, ReplicaPlan plan, String countName) {
        String down = plan.downReplicas().stream().map(Node::id).collect(Collectors.joining(", "));
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", plan.required());
        extras.put(countName, 0);
        extras.put("alive", plan.targets().size());
        extras.put("down", plan.downReplicas().stream().map(Node::id).toList());
        extras.put("applied", "none");
        return new ApiError(503, "Service Unavailable", op + " needs " + plan.required() + " of the key's "
                + plan.replicas().size() + " replicas but only " + plan.targets().size() + " are up (down: " + down
                + "); nothing was " + (op.equals("write") ? "written" : "read"), extras);
    }

    static ApiError unreachable(String op, QuorumTracker t, String countName) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", t.required());
        extras.put(countName, t.successes());
        extras.put("failures", t.failed());
        extras.put("applied", op.equals("write") && t.successes() > 0 ? "partial" : "unknown");
        return new ApiError(503, "Service Unavailable", op + " quorum can no longer be reached: "
                + t.successes() + " of " + t.required() + " required replicas " + countName + ", failures: "
                + t.failed() + (op.equals("write") ? "; the write may have been applied to some replicas" : ""),
                extras);
    }

    static ApiError deadline(String op, QuorumTracker t, String countName, long timeoutMillis) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", t.required());
        extras.put(countName, t.successes());
        extras.put("timeoutMillis", timeoutMillis);
        if (op.equals("write")) {
            extras.put("applied", "unknown");
        }
        return new ApiError(504, "Gateway Timeout", "the " + op + " deadline of " + timeoutMillis + " ms passed with "
                + t.successes() + " of " + t.required() + " required replicas " + countName
                + (op.equals("write") ? "; the write may have been applied to some replicas" : ""), extras);
    }

    static String reason(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
