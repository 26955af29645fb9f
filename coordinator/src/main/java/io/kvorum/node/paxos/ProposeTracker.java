package io.kvorum.node.paxos;

import io.kvorum.storage.paxos.Acceptor.AcceptOutcome;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Ballot;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Counts the replies to one propose. Immutable. ACCEPTED at {@code required} acceptances. Once
 * the quorum can no longer be reached: REFUSED when no acceptor accepted and every one that did not
 * answered with a rejection (the proposal is certainly not chosen, a retry is safe); INDETERMINATE
 * otherwise (some acceptor accepted, or a call failed without an answer): the proposal may still be
 * completed by a later round (Cassandra's "fully refused" test).
 */
public record ProposeTracker(int required, Set<String> targets, Set<String> accepted, Set<String> rejected,
                             Map<String, String> failed, Optional<Ballot> highestPromise) {

    public enum Outcome { PENDING, ACCEPTED, REFUSED, INDETERMINATE }

    public ProposeTracker {
        if (required < 1) {
            throw new IllegalArgumentException("required must be >= 1: " + required);
        }
        targets = Set.copyOf(new LinkedHashSet<>(targets));
        accepted = Set.copyOf(accepted);
        rejected = Set.copyOf(rejected);
        failed = Map.copyOf(failed);
        Objects.requireNonNull(highestPromise, "highestPromise");
    }

    public static ProposeTracker of(int required, Iterable<String> targets) {
        Set<String> t = new LinkedHashSet<>();
        targets.forEach(t::add);
        return new ProposeTracker(required, t, Set.of(), Set.of(), Map.of(), Optional.empty());
    }

    public ProposeTracker onReply(String replica, AcceptReply reply) {
        if (!awaiting(replica)) {
            return this;
        }
        if (reply.outcome() == AcceptOutcome.ACCEPTED) {
            Set<String> next = new LinkedHashSet<>(accepted);
            next.add(replica);
            return new ProposeTracker(required, targets, next, rejected, failed, highestPromise);
        }
        Set<String> next = new LinkedHashSet<>(rejected);
        next.add(replica);
        Optional<Ballot> highest = highestPromise;
        if (reply.promised().isPresent()
                && (highest.isEmpty() || reply.promised().get().isAfter(highest.get()))) {
            highest = reply.promised();
        }
        return new ProposeTracker(required, targets, accepted, next, failed, highest);
    }

    public ProposeTracker onFailure(String replica, String reason) {
        if (!awaiting(replica)) {
            return this;
        }
        Map<String, String> next = new LinkedHashMap<>(failed);
        next.put(replica, Objects.requireNonNullElse(reason, "failed"));
        return new ProposeTracker(required, targets, accepted, rejected, next, highestPromise);
    }

    private boolean awaiting(String replica) {
        return targets.contains(replica) && !accepted.contains(replica) && !rejected.contains(replica)
                && !failed.containsKey(replica);
    }

    public int outstanding() {
        return targets.size() - accepted.size() - rejected.size() - failed.size();
    }

    public Outcome outcome() {
        if (accepted.size() >= required) {
            return Outcome.ACCEPTED;
        }
        if (accepted.size() + outstanding() >= required) {
            return Outcome.PENDING;
        }
        return accepted.isEmpty() && failed.isEmpty() && outstanding() == 0 ? Outcome.REFUSED
                : accepted.isEmpty() && failed.isEmpty() ? Outcome.PENDING : Outcome.INDETERMINATE;
    }
}
