package io.kvorum.node.paxos;

import io.kvorum.node.http.ApiError;
import io.kvorum.node.quorum.QuorumTracker;
import io.kvorum.node.quorum.ReplicaPlan;
import io.kvorum.ring.Node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The problem+json errors of a compare-and-set, with their numbers. */
final class CasErrors {
    private CasErrors() {
    }

    /** Fewer than a quorum of the key's primaries are up: nothing was sent. */
    static ApiError unavailable(ReplicaPlan plan) {
        String down = plan.downReplicas().stream().map(Node::id).collect(Collectors.joining(", "));
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", plan.required());
        extras.put("alive", plan.targets().size());
        extras.put("down", plan.downReplicas().stream().map(Node::id).toList());
        extras.put("applied", "none");
        return new ApiError(503, "Service Unavailable", "compare-and-set needs a quorum of " + plan.required()
                + " of the key's " + plan.replicas().size() + " replicas but only " + plan.targets().size()
                + " are up (down: " + down + "); nothing was written", extras);
    }

    static ApiError contended(int attempts, long timeoutMillis, boolean mayBeApplied) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("attempts", attempts);
        extras.put("timeoutMillis", timeoutMillis);
        extras.put("applied", mayBeApplied ? "unknown" : "none");
        return new ApiError(504, "Gateway Timeout", "compare-and-set gave up under contention after " + attempts
                + " attempt(s) within " + timeoutMillis + " ms: other proposers kept winning the key's ballots; "
                + (mayBeApplied ? "the value may have been applied" : "nothing was applied") + "; retry later",
                extras);
    }

    static ApiError unknownOutcome(int attempts) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("attempts", attempts);
        extras.put("applied", "unknown");
        return new ApiError(504, "Gateway Timeout", "compare-and-set outcome unknown: an earlier attempt was "
                + "accepted by some replicas but not a quorum, and several commits of the key have happened "
                + "since, so it cannot be told whether it was one of them; read the key with "
                + "consistency=SERIAL to see the current value", extras);
    }

    static ApiError deadline(String phase, int replied, int required, int attempts, long timeoutMillis,
                             boolean mayBeApplied) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", required);
        extras.put("replied", replied);
        extras.put("phase", phase);
        extras.put("attempts", attempts);
        extras.put("timeoutMillis", timeoutMillis);
        extras.put("applied", mayBeApplied ? "unknown" : "none");
        return new ApiError(504, "Gateway Timeout", "the compare-and-set deadline of " + timeoutMillis
                + " ms passed in its " + phase + " phase with " + replied + " of " + required
                + " required replicas answering (attempt " + attempts + ")"
                + (mayBeApplied ? "; the value may have been applied" : ""), extras);
    }

    static ApiError unreachable(String phase, int replied, int required, Map<String, String> failures,
                                boolean mayBeApplied) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", required);
        extras.put("replied", replied);
        extras.put("failures", failures);
        extras.put("applied", mayBeApplied ? "unknown" : "none");
        return new ApiError(503, "Service Unavailable", "compare-and-set " + phase + " quorum can no longer be "
                + "reached: " + replied + " of " + required + " required replicas answered, failures: "
                + failures, extras);
    }

    static ApiError commitFailed(QuorumTracker t) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("required", t.required());
        extras.put("acked", t.successes());
        extras.put("failures", t.failed());
        extras.put("applied", "chosen");
        return new ApiError(503, "Service Unavailable", "the value was accepted by a quorum (it is chosen and "
                + "the next compare-and-set or SERIAL read of the key completes it) but its commit reached only "
                + t.successes() + " of " + t.required() + " required replicas", extras);
    }

    static String reason(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
