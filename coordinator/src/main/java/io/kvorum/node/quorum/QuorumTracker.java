package io.kvorum.node.quorum;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts replica responses toward a quorum. Immutable: every response returns the next tracker.
 * It succeeds at {@code required} successes and fails as soon as the successes plus the
 * responses still outstanding can no longer reach {@code required}, not only at the deadline.
 * A replica's first response counts; later ones from the same replica are ignored.
 */
public record QuorumTracker(int required, Set<String> targets, Set<String> succeeded,
                            Map<String, String> failed) {

    public QuorumTracker {
        if (required < 1) {
            throw new IllegalArgumentException("required must be >= 1: " + required);
        }
        targets = Set.copyOf(targets); // the same instance when already an unmodifiable copy
        succeeded = Set.copyOf(succeeded);
        failed = Map.copyOf(failed);
        for (String s : succeeded) {
            if (!targets.contains(s) || failed.containsKey(s)) {
                throw new IllegalArgumentException("unexpected success from " + s);
            }
        }
    }

    public static QuorumTracker of(int required, Iterable<String> targets) {
        Set<String> t = new HashSet<>();
        targets.forEach(t::add);
        return new QuorumTracker(required, t, Set.of(), Map.of());
    }

    public QuorumTracker onSuccess(String replica) {
        if (!awaiting(replica)) {
            return this;
        }
        String[] next = succeeded.toArray(new String[succeeded.size() + 1]);
        next[next.length - 1] = replica;
        return new QuorumTracker(required, targets, Set.of(next), failed);
    }

    public QuorumTracker onFailure(String replica, String reason) {
        if (!awaiting(replica)) {
            return this;
        }
        Map<String, String> next = new LinkedHashMap<>(failed);
        next.put(replica, Objects.requireNonNullElse(reason, "failed"));
        return new QuorumTracker(required, targets, succeeded, next);
    }

    private boolean awaiting(String replica) {
        return targets.contains(replica) && !succeeded.contains(replica) && !failed.containsKey(replica);
    }

    public int successes() {
        return succeeded.size();
    }

    public int outstanding() {
        return targets.size() - succeeded.size() - failed.size();
    }

    public QuorumOutcome outcome() {
        if (succeeded.size() >= required) {
            return QuorumOutcome.SUCCEEDED;
        }
        if (succeeded.size() + outstanding() < required) {
            return QuorumOutcome.FAILED;
        }
        return QuorumOutcome.PENDING;
    }

    public boolean isDone() {
        return outcome() != QuorumOutcome.PENDING;
    }
}
