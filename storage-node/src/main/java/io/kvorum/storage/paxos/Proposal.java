package io.kvorum.storage.paxos;

import com.google.common.hash.Hashing;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordCodec;
import java.util.Objects;
import java.util.Optional;

/**
 * A value proposed for a key under a ballot: the update to merge into the key's record once the
 * proposal is committed, and {@code after}, a hash ({@link #hashOf}) of the update of the commit the
 * proposer read before deciding on it (0 when it read none): a proposal can only ever be committed
 * as the commit that directly follows that one, which lets a proposer whose proposal reached only
 * some acceptors learn later whether it was chosen. An empty update is a fence: a proposer that only read (a
 * {@code SERIAL} read, or a compare-and-set whose condition failed) gets it accepted at a
 * quorum so that no proposal with a lower ballot can be completed afterwards (CASSANDRA-12126).
 * An empty proposal is never committed.
 */
public record Proposal(Ballot ballot, Optional<KeyRecord> update, long after) {
    public Proposal {
        Objects.requireNonNull(ballot, "ballot");
        Objects.requireNonNull(update, "update");
    }

    public static Proposal of(Ballot ballot, KeyRecord update) {
        return new Proposal(ballot, Optional.of(update), 0);
    }

    public static Proposal of(Ballot ballot, KeyRecord update, long after) {
        return new Proposal(ballot, Optional.of(update), after);
    }

    public static Proposal empty(Ballot ballot) {
        return new Proposal(ballot, Optional.empty(), 0);
    }

    /** The hash that identifies a committed update in {@code after}; never 0. */
    public static long hashOf(KeyRecord update) {
        long h = Hashing.murmur3_128().hashBytes(RecordCodec.encode(update)).asLong();
        return h == 0 ? 1 : h;
    }

    public boolean isEmpty() {
        return update.isEmpty();
    }

    /** The same update under another ballot: how a proposer completes an in-progress proposal. */
    public Proposal withBallot(Ballot newBallot) {
        return new Proposal(newBallot, update, after);
    }

    public boolean isAfter(Proposal other) {
        return ballot.isAfter(other.ballot);
    }
}
