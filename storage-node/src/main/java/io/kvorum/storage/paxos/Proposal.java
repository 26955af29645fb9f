package io.kvorum.storage.paxos;

import io.kvorum.storage.KeyRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A value proposed for a key under a ballot: the update to merge into the key's record once the
 * proposal is committed. An empty update is a fence: a proposer that only read (a
 * {@code SERIAL} read, or a compare-and-set whose condition failed) gets it accepted at a
 * quorum so that no proposal with a lower ballot can be completed afterwards (CASSANDRA-12126).
 * An empty proposal is never committed.
 */
public record Proposal(Ballot ballot, Optional<KeyRecord> update) {
    public Proposal {
        Objects.requireNonNull(ballot, "ballot");
        Objects.requireNonNull(update, "update");
    }

    public static Proposal of(Ballot ballot, KeyRecord update) {
        return new Proposal(ballot, Optional.of(update));
    }

    public static Proposal empty(Ballot ballot) {
        return new Proposal(ballot, Optional.empty());
    }

    public boolean isEmpty() {
        return update.isEmpty();
    }

    /** The same update under another ballot: how a proposer completes an in-progress proposal. */
    public Proposal withBallot(Ballot newBallot) {
        return new Proposal(newBallot, update);
    }

    public boolean isAfter(Proposal other) {
        return ballot.isAfter(other.ballot);
    }
}
