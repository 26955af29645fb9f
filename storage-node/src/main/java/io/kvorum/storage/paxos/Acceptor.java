package io.kvorum.storage.paxos;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The acceptor's rules of single-decree Paxos for one key, pure: each transition takes the state
 * and a message and returns the outcome, the reply and the next state (equal to the old one when
 * nothing changed, so that nothing needs to be written or synced).
 *
 * <ul>
 *   <li>prepare(b): promise when b is above every ballot promised before; the promise carries the
 *       accepted proposal and the most recent commit, so that the proposer can complete an
 *       in-progress proposal and bring stale replicas up to date, and the marks of its recent
 *       commits. Otherwise reject, naming the
 *       promise that beat it.
 *   <li>propose(p): accept when p's ballot is at least the promise (the proposer's own promise)
 *       and above the most recent commit. Otherwise reject with the promise.
 *   <li>commit(p): record p as the most recent commit when it is newer than the one held. The
 *       caller merges p's update into the key's record in either case (a merge is idempotent).
 * </ul>
 */
public final class Acceptor {
    private Acceptor() {
    }

    public enum PrepareOutcome { PROMISED, REJECTED }

    public enum AcceptOutcome { ACCEPTED, REJECTED }

    public enum CommitOutcome { COMMITTED, ALREADY_COMMITTED }

    /**
     * An acceptor's answer to prepare. {@code promised} is the acceptor's promise after the call
     * (the ballot asked for when PROMISED, the higher one that beat it when REJECTED).
     */
    public record PrepareReply(PrepareOutcome outcome, Ballot promised, Optional<Proposal> accepted,
                               Optional<Proposal> mostRecentCommit, List<CommitMark> recentCommits) {
        public PrepareReply {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(promised, "promised");
            Objects.requireNonNull(accepted, "accepted");
            Objects.requireNonNull(mostRecentCommit, "mostRecentCommit");
            recentCommits = List.copyOf(recentCommits);
        }

        public PrepareReply(PrepareOutcome outcome, Ballot promised, Optional<Proposal> accepted,
                            Optional<Proposal> mostRecentCommit) {
            this(outcome, promised, accepted, mostRecentCommit, List.of());
        }
    }

    /** An acceptor's answer to propose; {@code promised} is its promise, if any. */
    public record AcceptReply(AcceptOutcome outcome, Optional<Ballot> promised) {
        public AcceptReply {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(promised, "promised");
        }
    }

    public record PrepareStep(PaxosState next, PrepareReply reply) implements PaxosStore.Transition {
    }

    public record AcceptStep(PaxosState next, AcceptReply reply) implements PaxosStore.Transition {
    }

    public record CommitStep(PaxosState next, CommitOutcome outcome) implements PaxosStore.Transition {
    }

    public static PrepareStep prepare(PaxosState state, Ballot ballot) {
        Objects.requireNonNull(ballot, "ballot");
        if (state.promisedBelow(ballot)) {
            PaxosState next = state.withPromised(ballot);
            return new PrepareStep(next, new PrepareReply(PrepareOutcome.PROMISED, ballot, state.accepted(),
                    state.mostRecentCommit(), state.recentCommits()));
        }
        return new PrepareStep(state, new PrepareReply(PrepareOutcome.REJECTED, state.promised().orElseThrow(),
                state.accepted(), state.mostRecentCommit()));
    }

    public static AcceptStep propose(PaxosState state, Proposal proposal) {
        Objects.requireNonNull(proposal, "proposal");
        boolean promiseAllows = state.promised().map(p -> !p.isAfter(proposal.ballot())).orElse(true);
        boolean afterCommit = state.mostRecentCommit().map(proposal::isAfter).orElse(true);
        if (promiseAllows && afterCommit) {
            PaxosState next = state.withAccepted(proposal);
            if (state.promised().isEmpty() || proposal.ballot().isAfter(state.promised().get())) {
                next = next.withPromised(proposal.ballot());
            }
            return new AcceptStep(next, new AcceptReply(AcceptOutcome.ACCEPTED, next.promised()));
        }
        return new AcceptStep(state, new AcceptReply(AcceptOutcome.REJECTED, state.promised()));
    }

    public static CommitStep commit(PaxosState state, Proposal proposal) {
        Objects.requireNonNull(proposal, "proposal");
        if (proposal.isEmpty()) {
            throw new IllegalArgumentException("an empty proposal (a fence) is never committed");
        }
        boolean newer = state.mostRecentCommit().map(proposal::isAfter).orElse(true);
        if (!newer) {
            return new CommitStep(state, CommitOutcome.ALREADY_COMMITTED);
        }
        return new CommitStep(state.withCommit(proposal), CommitOutcome.COMMITTED);
    }
}
