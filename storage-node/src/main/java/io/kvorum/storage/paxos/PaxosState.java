package io.kvorum.storage.paxos;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one acceptor remembers about one key: the highest ballot it promised, the proposal it
 * accepted last (cleared once a commit at the same or a higher ballot arrives), the most recent
 * proposal committed through it, and marks of its last {@value #HISTORY} commits, oldest first.
 * Immutable.
 */
public record PaxosState(Optional<Ballot> promised, Optional<Proposal> accepted,
                         Optional<Proposal> mostRecentCommit, List<CommitMark> recentCommits) {
    /** Commit marks kept per key. */
    public static final int HISTORY = 16;
    public static final PaxosState EMPTY = new PaxosState(Optional.empty(), Optional.empty(), Optional.empty());

    public PaxosState {
        Objects.requireNonNull(promised, "promised");
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(mostRecentCommit, "mostRecentCommit");
        recentCommits = List.copyOf(recentCommits);
    }

    public PaxosState(Optional<Ballot> promised, Optional<Proposal> accepted, Optional<Proposal> mostRecentCommit) {
        this(promised, accepted, mostRecentCommit, List.of());
    }

    public PaxosState withPromised(Ballot ballot) {
        return new PaxosState(Optional.of(ballot), accepted, mostRecentCommit, recentCommits);
    }

    public PaxosState withAccepted(Proposal proposal) {
        return new PaxosState(promised, Optional.of(proposal), mostRecentCommit, recentCommits);
    }

    public PaxosState withCommit(Proposal commit) {
        Optional<Proposal> stillAccepted = accepted.filter(a -> a.isAfter(commit));
        CommitMark mark = CommitMark.of(commit);
        List<CommitMark> marks = new ArrayList<>(recentCommits);
        if (!marks.contains(mark)) {
            marks.add(mark);
        }
        while (marks.size() > HISTORY) {
            marks.remove(0);
        }
        return new PaxosState(promised, stillAccepted, Optional.of(commit), marks);
    }

    /** True when {@code ballot} is above the promise (strictly). */
    boolean promisedBelow(Ballot ballot) {
        return promised.map(ballot::isAfter).orElse(true);
    }
}
