package io.kvorum.node.paxos;

import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosCodec.Promise;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Counts the replies to one prepare. Immutable: each reply returns the next tracker. PROMISED at
 * {@code required} promises; REJECTED as soon as one acceptor names a higher promise (the ballot is
 * beaten: retrying with a higher one is the only way on, as in Cassandra); FAILED as soon as the
 * promises plus the replies still outstanding can no longer reach {@code required}. A replica's
 * first reply counts.
 */
public record PrepareTracker(int required, Set<String> targets, Map<String, Promise> promises,
                             Map<String, String> failed, Optional<Ballot> rejectedBy) {

    public enum Outcome { PENDING, PROMISED, REJECTED, FAILED }

    public PrepareTracker {
        if (required < 1) {
            throw new IllegalArgumentException("required must be >= 1: " + required);
        }
        targets = Set.copyOf(new LinkedHashSet<>(targets));
        promises = Map.copyOf(promises);
        failed = Map.copyOf(failed);
        Objects.requireNonNull(rejectedBy, "rejectedBy");
    }

    public static PrepareTracker of(int required, Iterable<String> targets) {
        Set<String> t = new LinkedHashSet<>();
        targets.forEach(t::add);
        return new PrepareTracker(required, t, Map.of(), Map.of(), Optional.empty());
    }

    public PrepareTracker onReply(String replica, Promise reply) {
        if (!awaiting(replica)) {
            return this;
        }
        if (reply.reply().outcome() == PrepareOutcome.REJECTED) {
            Ballot higher = reply.reply().promised();
            Optional<Ballot> highest = rejectedBy.filter(b -> !higher.isAfter(b)).or(() -> Optional.of(higher));
            Map<String, String> nextFailed = new LinkedHashMap<>(failed);
            nextFailed.put(replica, "rejected: promised " + higher);
            return new PrepareTracker(required, targets, promises, nextFailed, highest);
        }
        Map<String, Promise> next = new LinkedHashMap<>(promises);
        next.put(replica, reply);
        return new PrepareTracker(required, targets, next, failed, rejectedBy);
    }

    public PrepareTracker onFailure(String replica, String reason) {
        if (!awaiting(replica)) {
            return this;
        }
        Map<String, String> next = new LinkedHashMap<>(failed);
        next.put(replica, Objects.requireNonNullElse(reason, "failed"));
        return new PrepareTracker(required, targets, promises, next, rejectedBy);
    }

    private boolean awaiting(String replica) {
        return targets.contains(replica) && !promises.containsKey(replica) && !failed.containsKey(replica);
    }

    public int outstanding() {
        return targets.size() - promises.size() - failed.size();
    }

    public Outcome outcome() {
        if (promises.size() >= required) {
            return Outcome.PROMISED;
        }
        if (rejectedBy.isPresent()) {
            return Outcome.REJECTED;
        }
        if (promises.size() + outstanding() < required) {
            return Outcome.FAILED;
        }
        return Outcome.PENDING;
    }

    /** What the promises say; meaningful once PROMISED. */
    public PrepareSummary summary() {
        return PrepareSummary.of(promises);
    }
}
