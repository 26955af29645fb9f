package io.kvorum.storage.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.paxos.Acceptor.AcceptOutcome;
import io.kvorum.storage.paxos.Acceptor.AcceptStep;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Acceptor.CommitStep;
import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareStep;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptorTest {
    static Ballot b(long t, String node) {
        return Ballot.of(t, 0, node);
    }

    static KeyRecord value(String text, long t) {
        return LwwRecord.of(Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain",
                new HlcTimestamp(t, 0, "n1")));
    }

    @Test
    void aFreshAcceptorPromisesAnyBallotAndReportsNothingAccepted() {
        PrepareStep s = Acceptor.prepare(PaxosState.EMPTY, b(10, "n1"));
        assertEquals(PrepareOutcome.PROMISED, s.reply().outcome());
        assertEquals(b(10, "n1"), s.reply().promised());
        assertEquals(Optional.empty(), s.reply().accepted());
        assertEquals(Optional.of(b(10, "n1")), s.next().promised());
    }

    @ParameterizedTest(name = "promised {0}@{1}, prepare {2}@{3} -> {4}")
    @CsvSource({
            "10, n1, 11, n1, PROMISED",
            "10, n1, 10, n2, PROMISED",   // same time, higher node id: a higher ballot
            "10, n2, 10, n1, REJECTED",
            "10, n1, 10, n1, REJECTED",   // only ballots strictly above the promise
            "10, n1,  9, n3, REJECTED",
    })
    void promisesOnlyBallotsAboveThePromise(long pt, String pn, long bt, String bn, PrepareOutcome expected) {
        PaxosState state = PaxosState.EMPTY.withPromised(b(pt, pn));
        PrepareStep s = Acceptor.prepare(state, b(bt, bn));
        assertEquals(expected, s.reply().outcome());
        if (expected == PrepareOutcome.REJECTED) {
            assertEquals(b(pt, pn), s.reply().promised(), "a rejection names the promise that beat it");
            assertSame(state, s.next(), "a rejection changes nothing");
        } else {
            assertEquals(Optional.of(b(bt, bn)), s.next().promised());
        }
    }

    @Test
    void aPromiseCarriesTheAcceptedProposalAndTheMostRecentCommit() {
        Proposal committed = Proposal.of(b(5, "n1"), value("a", 5));
        Proposal accepted = Proposal.of(b(8, "n2"), value("b", 8));
        PaxosState state = new PaxosState(Optional.of(b(8, "n2")), Optional.of(accepted), Optional.of(committed));
        PrepareStep s = Acceptor.prepare(state, b(9, "n3"));
        assertEquals(PrepareOutcome.PROMISED, s.reply().outcome());
        assertEquals(Optional.of(accepted), s.reply().accepted());
        assertEquals(Optional.of(committed), s.reply().mostRecentCommit());
        assertEquals(Optional.of(accepted), s.next().accepted(), "a promise keeps the accepted proposal");
    }

    @Test
    void acceptsAProposalAtItsOwnPromiseAndRejectsOneBelowIt() {
        PaxosState promised = Acceptor.prepare(PaxosState.EMPTY, b(10, "n1")).next();
        AcceptStep ok = Acceptor.propose(promised, Proposal.of(b(10, "n1"), value("v", 10)));
        assertEquals(AcceptOutcome.ACCEPTED, ok.reply().outcome());
        assertEquals(Optional.of(Proposal.of(b(10, "n1"), value("v", 10))), ok.next().accepted());

        PaxosState higher = Acceptor.prepare(promised, b(11, "n2")).next();
        AcceptStep late = Acceptor.propose(higher, Proposal.of(b(10, "n1"), value("v", 10)));
        assertEquals(AcceptOutcome.REJECTED, late.reply().outcome());
        assertEquals(Optional.of(b(11, "n2")), late.reply().promised(), "the reject carries the higher promise");
        assertSame(higher, late.next());
    }

    @Test
    void acceptingAHigherBallotThanPromisedAlsoPromisesIt() {
        PaxosState promised = Acceptor.prepare(PaxosState.EMPTY, b(10, "n1")).next();
        AcceptStep s = Acceptor.propose(promised, Proposal.of(b(12, "n2"), value("v", 12)));
        assertEquals(AcceptOutcome.ACCEPTED, s.reply().outcome());
        assertEquals(Optional.of(b(12, "n2")), s.next().promised());
        assertEquals(PrepareOutcome.REJECTED, Acceptor.prepare(s.next(), b(11, "n3")).reply().outcome());
    }

    @Test
    void rejectsAProposalThatIsNotAfterTheMostRecentCommit() {
        PaxosState state = Acceptor.commit(PaxosState.EMPTY, Proposal.of(b(10, "n1"), value("v", 10))).next();
        assertEquals(AcceptOutcome.REJECTED,
                Acceptor.propose(state, Proposal.of(b(9, "n2"), value("w", 9))).reply().outcome());
        assertEquals(AcceptOutcome.REJECTED,
                Acceptor.propose(state, Proposal.of(b(10, "n1"), value("v", 10))).reply().outcome());
    }

    @Test
    void anEmptyProposalIsAcceptedAsAFence() {
        PaxosState promised = Acceptor.prepare(PaxosState.EMPTY, b(10, "n1")).next();
        AcceptStep s = Acceptor.propose(promised, Proposal.empty(b(10, "n1")));
        assertEquals(AcceptOutcome.ACCEPTED, s.reply().outcome());
        assertTrue(s.next().accepted().orElseThrow().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Acceptor.commit(s.next(), Proposal.empty(b(10, "n1"))));
    }

    @Test
    void aCommitRecordsTheNewestCommitAndClearsAnAcceptedProposalItCovers() {
        Proposal p = Proposal.of(b(10, "n1"), value("v", 10));
        PaxosState accepted = Acceptor.propose(Acceptor.prepare(PaxosState.EMPTY, b(10, "n1")).next(), p).next();
        CommitStep c = Acceptor.commit(accepted, p);
        assertEquals(CommitOutcome.COMMITTED, c.outcome());
        assertEquals(Optional.of(p), c.next().mostRecentCommit());
        assertEquals(Optional.empty(), c.next().accepted());

        CommitStep again = Acceptor.commit(c.next(), p);
        assertEquals(CommitOutcome.ALREADY_COMMITTED, again.outcome());
        assertSame(c.next(), again.next());
        CommitStep older = Acceptor.commit(c.next(), Proposal.of(b(7, "n2"), value("old", 7)));
        assertEquals(CommitOutcome.ALREADY_COMMITTED, older.outcome());
        assertEquals(Optional.of(p), older.next().mostRecentCommit());
    }

    @Test
    void aCommitKeepsAnAcceptedProposalWithAHigherBallot() {
        Proposal later = Proposal.of(b(12, "n2"), value("later", 12));
        PaxosState state = new PaxosState(Optional.of(b(12, "n2")), Optional.of(later), Optional.empty());
        CommitStep c = Acceptor.commit(state, Proposal.of(b(10, "n1"), value("v", 10)));
        assertEquals(Optional.of(later), c.next().accepted(), "still in progress: a later round must see it");
        assertEquals(CommitOutcome.COMMITTED, c.outcome());
    }

    @Test
    void commitsLeaveBoundedMarksThatAPromiseCarries() {
        PaxosState state = PaxosState.EMPTY;
        long after = 0;
        for (int i = 1; i <= PaxosState.HISTORY + 3; i++) {
            Proposal p = Proposal.of(b(i, "n1"), value("v" + i, i), after);
            state = Acceptor.commit(state, p).next();
            after = Proposal.hashOf(p.update().orElseThrow());
        }
        assertEquals(PaxosState.HISTORY, state.recentCommits().size());
        assertEquals(after, state.recentCommits().get(PaxosState.HISTORY - 1).hash(), "newest last");
        PaxosState again = Acceptor.commit(state, state.mostRecentCommit().orElseThrow()
                .withBallot(b(100, "n2"))).next();
        assertEquals(state.recentCommits(), again.recentCommits(), "the same value re-committed adds no mark");
        assertEquals(state.recentCommits(),
                Acceptor.prepare(state, b(200, "n3")).reply().recentCommits());
    }
}
