package io.kvorum.storage.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.CausalRecord;
import io.kvorum.storage.DvvSet;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.kvorum.storage.paxos.Acceptor.AcceptOutcome;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareReply;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PaxosCodecTest {
    static final StorageKey KEY = new StorageKey(3, "b", "k".getBytes(StandardCharsets.UTF_8));
    static final Ballot B1 = Ballot.of(1_700_000_000_000L, 3, "n1");
    static final Ballot B2 = Ballot.of(1_700_000_000_001L, 0, "n2");

    static KeyRecord causal() {
        Sibling s = Sibling.of("x".getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(5, 0, "n1"));
        return new CausalRecord(DvvSet.empty().update(VersionVector.empty(), s, "n1"));
    }

    static KeyRecord lww() {
        return LwwRecord.of(Sibling.tombstone(new HlcTimestamp(6, 1, "n2")));
    }

    @Test
    void statesRoundTrip() {
        for (PaxosState s : new PaxosState[]{
                PaxosState.EMPTY,
                PaxosState.EMPTY.withPromised(B1),
                new PaxosState(Optional.of(B2), Optional.of(Proposal.empty(B2)), Optional.of(Proposal.of(B1, causal()))),
                new PaxosState(Optional.of(B2), Optional.of(Proposal.of(B2, lww())), Optional.empty()),
                new PaxosState(Optional.of(B2), Optional.empty(), Optional.of(Proposal.of(B1, causal(), 42)),
                        java.util.List.of(new CommitMark(7, 0), new CommitMark(-3, 7)))}) {
            assertEquals(s, PaxosCodec.decodeState(PaxosCodec.encodeState(s)));
        }
    }

    @Test
    void messagesRoundTrip() {
        assertEquals(new PaxosCodec.KeyedBallot(KEY, B1), PaxosCodec.decodePrepare(PaxosCodec.encodePrepare(KEY, B1)));
        PaxosCodec.KeyedProposal kp = PaxosCodec.decodeKeyedProposal(
                PaxosCodec.encodeKeyedProposal(KEY, Proposal.of(B2, causal())));
        assertEquals(KEY, kp.key());
        assertEquals(Proposal.of(B2, causal()), kp.proposal());
        Promise p = new Promise(new PrepareReply(PrepareOutcome.PROMISED, B2, Optional.of(Proposal.of(B1, lww())),
                Optional.of(Proposal.of(B1, causal())), java.util.List.of(new CommitMark(1, 2))), Optional.of(causal()));
        assertEquals(p, PaxosCodec.decodePromise(PaxosCodec.encodePromise(p)));
        AcceptReply a = new AcceptReply(AcceptOutcome.REJECTED, Optional.of(B2));
        assertEquals(a, PaxosCodec.decodeAccept(PaxosCodec.encodeAccept(a)));
        assertEquals(CommitOutcome.ALREADY_COMMITTED,
                PaxosCodec.decodeCommit(PaxosCodec.encodeCommit(CommitOutcome.ALREADY_COMMITTED)));
    }

    @Test
    void garbageIsRejectedWithIllegalArgument() {
        byte[] good = PaxosCodec.encodePrepare(KEY, B1);
        assertThrows(IllegalArgumentException.class, () -> PaxosCodec.decodePrepare(new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> PaxosCodec.decodePrepare(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class,
                () -> PaxosCodec.decodePrepare(Arrays.copyOf(good, good.length + 1)));
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> PaxosCodec.decodePrepare(badVersion));
        assertThrows(IllegalArgumentException.class, () -> PaxosCodec.decodeCommit(new byte[]{1, 7}));
    }
}
