package io.kvorum.storage.paxos;

import java.util.Objects;
import java.util.Optional;

/**
 * What one acceptor remembers about one key: the highest ballot it promised, the proposal it
 * accepted last (cleared once a commit at the same or a higher ballot arrives), and the most
 * recent proposal committed through it. Immutable.
 */
public record PaxosState(Optional<Ballot> promised, Optional<Proposal> accepted,
                         Optional<Proposal> mostRecentCommit) {
    public static final PaxosState EMPTY = new PaxosState(Optional.empty(), Optional.empty(), Optional.empty());

    public PaxosState {
        Objects.requireNonNull(promised, "promised");
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(mostRecentCommit, "mostRecentCommit");
    }

    public PaxosState withPromised(Ballot ballot) {
        return new PaxosState(Optional.of(ballot), accepted, mostRecentCommit);
    }

    public PaxosState withAccepted(Proposal proposal) {
        return new PaxosState(promised, Optional.of(proposal), mostRecentCommit);
    }

    public PaxosState withCommit(Proposal commit) {
        Optional<Proposal> stillAccepted = accepted.filter(a -> a.isAfter(commit));
        return new PaxosState(promised, stillAccepted, Optional.of(commit));
    }

    /** True when {@code ballot} is above the promise (strictly). */
    boolean promisedBelow(Ballot ballot) {
        return promised.map(ballot::isAfter).orElse(true);
    }
}
