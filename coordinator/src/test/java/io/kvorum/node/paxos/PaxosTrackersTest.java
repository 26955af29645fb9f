package io.kvorum.node.paxos;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.paxos.Acceptor.AcceptOutcome;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareReply;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import io.kvorum.storage.paxos.Proposal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The proposer's pure state machines: prepare and propose trackers, and what a quorum of promises says. */
class PaxosTrackersTest {
    static final List<String> NODES = List.of("n1", "n2", "n3");

    static Ballot b(long t) {
        return Ballot.of(t, 0, "n1");
    }

    static KeyRecord value(String text, long t) {
        return LwwRecord.of(Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain",
                new HlcTimestamp(t, 0, "n1")));
    }

    static Promise promise(long ballot, Optional<Proposal> accepted, Optional<Proposal> commit,
                           Optional<KeyRecord> current) {
        return new Promise(new PrepareReply(PrepareOutcome.PROMISED, b(ballot), accepted, commit), current);
    }

    static Promise empty(long ballot) {
        return promise(ballot, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Promise reject(long promised) {
        return new Promise(new PrepareReply(PrepareOutcome.REJECTED, b(promised), Optional.empty(), Optional.empty()),
                Optional.empty());
    }

    // ---- prepare ----

    @Test
    void prepareSucceedsAtAQuorumOfPromises() {
        PrepareTracker t = PrepareTracker.of(2, NODES).onReply("n1", empty(10));
        assertEquals(PrepareTracker.Outcome.PENDING, t.outcome());
        t = t.onReply("n2", empty(10));
        assertEquals(PrepareTracker.Outcome.PROMISED, t.outcome());
        assertEquals(PrepareTracker.Outcome.PROMISED, t.onReply("n3", reject(99)).outcome(), "late replies are ignored");
    }

    @Test
    void aRejectionFailsThePrepareAtOnceAndCarriesTheHighestPromise() {
        PrepareTracker t = PrepareTracker.of(2, NODES).onReply("n1", reject(12));
        assertEquals(PrepareTracker.Outcome.REJECTED, t.outcome());
        assertEquals(Optional.of(b(12)), t.rejectedBy());
        t = t.onReply("n2", reject(15)).onReply("n3", reject(13));
        assertEquals(Optional.of(b(15)), t.rejectedBy());
    }

    @Test
    void prepareFailsAsSoonAsTheQuorumIsOutOfReach() {
        PrepareTracker t = PrepareTracker.of(2, NODES).onFailure("n1", "timeout");
        assertEquals(PrepareTracker.Outcome.PENDING, t.outcome());
        t = t.onFailure("n2", "refused");
        assertEquals(PrepareTracker.Outcome.FAILED, t.outcome());
    }

    // ---- what the promises say ----

    @Test
    void nothingInProgressAndEveryoneCurrentMeansReady() {
        Proposal commit = Proposal.of(b(5), value("a", 5));
        PrepareSummary s = PrepareSummary.of(Map.of(
                "n1", promise(10, Optional.empty(), Optional.of(commit), Optional.of(value("a", 5))),
                "n2", promise(10, Optional.empty(), Optional.of(commit), Optional.of(value("a", 5)))));
        assertEquals(PrepareSummary.Next.READY, s.next());
        assertEquals(Optional.of(value("a", 5)), s.current());
    }

    @Test
    void anAcceptedProposalNewerThanTheMostRecentCommitIsCompletedFirst() {
        Proposal commit = Proposal.of(b(5), value("a", 5));
        Proposal inFlight = Proposal.of(b(8), value("b", 8));
        PrepareSummary s = PrepareSummary.of(Map.of(
                "n1", promise(10, Optional.of(inFlight), Optional.of(commit), Optional.of(value("a", 5))),
                "n2", promise(10, Optional.empty(), Optional.of(commit), Optional.of(value("a", 5)))));
        assertEquals(PrepareSummary.Next.COMPLETE_IN_PROGRESS, s.next());
        assertEquals(Optional.of(inFlight), s.inProgress());
    }

    @Test
    void theHighestAcceptedBallotWinsAmongInProgressProposals() {
        Proposal older = Proposal.of(b(7), value("old", 7));
        Proposal newer = Proposal.of(b(9), value("new", 9));
        PrepareSummary s = PrepareSummary.of(Map.of(
                "n1", promise(10, Optional.of(older), Optional.empty(), Optional.empty()),
                "n2", promise(10, Optional.of(newer), Optional.empty(), Optional.empty())));
        assertEquals(Optional.of(newer), s.inProgress());
    }

    @Test
    void anAcceptedProposalOlderThanTheMostRecentCommitIsIgnored() {
        Proposal stale = Proposal.of(b(4), value("lost", 4));
        Proposal commit = Proposal.of(b(6), value("a", 6));
        PrepareSummary s = PrepareSummary.of(Map.of(
                "n1", promise(10, Optional.of(stale), Optional.of(commit), Optional.of(value("a", 6))),
                "n2", promise(10, Optional.empty(), Optional.of(commit), Optional.of(value("a", 6)))));
        assertEquals(Optional.empty(), s.inProgress());
        assertEquals(PrepareSummary.Next.READY, s.next());
    }

    @Test
    void anEmptyProposalAboveAnOlderAcceptedOneFencesIt() {
        // CASSANDRA-12126: a SERIAL read accepted an empty proposal at b7 on n2; n1 still holds a value
        // accepted at b4 by a proposer that died. The fence is the newest: the b4 value is never completed.
        Proposal dead = Proposal.of(b(4), value("dead", 4));
        PrepareSummary s = PrepareSummary.of(Map.of(
                "n1", promise(10, Optional.of(dead), Optional.empty(), Optional.empty()),
                "n2", promise(10, Optional.of(Proposal.empty(b(7))), Optional.empty(), Optional.empty())));
        assertEquals(PrepareSummary.Next.READY, s.next());
        assertEquals(Optional.empty(), s.current());
    }

    @Test
    void promisersBehindTheMostRecentCommitGetItSent() {
        Proposal older = Proposal.of(b(3), value("a", 3));
        Proposal newest = Proposal.of(b(6), value("b", 6));
        PrepareSummary s = PrepareSummary.of(Map.of(
                "n1", promise(10, Optional.empty(), Optional.of(newest), Optional.of(value("b", 6))),
                "n2", promise(10, Optional.empty(), Optional.of(older), Optional.of(value("a", 3))),
                "n3", promise(10, Optional.empty(), Optional.empty(), Optional.empty())));
        assertEquals(PrepareSummary.Next.SEND_COMMIT, s.next());
        assertEquals(List.of("n2", "n3"), s.missingCommit());
        assertEquals(Optional.of(newest), s.mostRecentCommit());
        assertEquals(Optional.of(value("b", 6)), s.current(), "the read merges the promisers' records");
    }

    @Test
    void theSummaryMergesThePromisersCommitMarksAndTheNewestCommit() {
        Proposal newest = Proposal.of(b(6), value("b", 6), 11);
        io.kvorum.storage.paxos.CommitMark m1 = new io.kvorum.storage.paxos.CommitMark(11, 0);
        io.kvorum.storage.paxos.CommitMark m2 = new io.kvorum.storage.paxos.CommitMark(22, 11);
        Promise withMarks = new Promise(new PrepareReply(PrepareOutcome.PROMISED, b(10), Optional.empty(),
                Optional.of(newest), List.of(m1)), Optional.empty());
        Promise other = new Promise(new PrepareReply(PrepareOutcome.PROMISED, b(10), Optional.empty(),
                Optional.of(newest), List.of(m2)), Optional.empty());
        PrepareSummary s = PrepareSummary.of(Map.of("n1", withMarks, "n2", other));
        assertEquals(java.util.Set.of(m1, m2, io.kvorum.storage.paxos.CommitMark.of(newest)), s.recentCommits());
    }

    // ---- propose ----

    static AcceptReply accepted() {
        return new AcceptReply(AcceptOutcome.ACCEPTED, Optional.of(b(10)));
    }

    static AcceptReply rejected(long promised) {
        return new AcceptReply(AcceptOutcome.REJECTED, Optional.of(b(promised)));
    }

    @Test
    void proposeSucceedsAtAQuorumOfAcceptances() {
        ProposeTracker t = ProposeTracker.of(2, NODES).onReply("n1", accepted()).onReply("n2", rejected(11));
        assertEquals(ProposeTracker.Outcome.PENDING, t.outcome());
        assertEquals(ProposeTracker.Outcome.ACCEPTED, t.onReply("n3", accepted()).outcome());
    }

    @Test
    void aProposalRejectedByAllIsRefusedAndSafeToRetry() {
        ProposeTracker t = ProposeTracker.of(2, NODES).onReply("n1", rejected(11)).onReply("n2", rejected(14));
        assertEquals(ProposeTracker.Outcome.PENDING, t.outcome(), "waits to know whether n3 accepted");
        t = t.onReply("n3", rejected(12));
        assertEquals(ProposeTracker.Outcome.REFUSED, t.outcome());
        assertEquals(Optional.of(b(14)), t.highestPromise());
    }

    @Test
    void aProposalAcceptedByAMinorityIsIndeterminate() {
        ProposeTracker t = ProposeTracker.of(2, NODES).onReply("n1", accepted()).onReply("n2", rejected(11))
                .onReply("n3", rejected(12));
        assertEquals(ProposeTracker.Outcome.INDETERMINATE, t.outcome());
    }

    @Test
    void aFailedCallLeavesTheOutcomeIndeterminate() {
        ProposeTracker t = ProposeTracker.of(2, NODES).onReply("n1", rejected(11)).onFailure("n2", "timeout")
                .onReply("n3", rejected(12));
        assertEquals(ProposeTracker.Outcome.INDETERMINATE, t.outcome());
    }
}
