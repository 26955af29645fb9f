package io.kvorum.storage.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.InMemoryPaxosStore;
import io.kvorum.storage.InMemoryStorageEngine;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Acceptor.AcceptOutcome;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PaxosReplicaTest {
    final InMemoryPaxosStore store = new InMemoryPaxosStore();
    final InMemoryStorageEngine engine = new InMemoryStorageEngine();
    final PaxosReplica replica = new PaxosReplica(store, engine);
    final StorageKey key = new StorageKey(0, "b", "k".getBytes(StandardCharsets.UTF_8));

    @AfterEach
    void close() {
        store.close();
        engine.close();
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static KeyRecord value(String text, long t) {
        return LwwRecord.of(Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain",
                new HlcTimestamp(t, 0, "n1")));
    }

    @Test
    void aPromiseCarriesTheKeysCurrentRecord() throws Exception {
        await(engine.update(key, c -> value("old", 1)));
        Promise p = await(replica.prepare(key, Ballot.of(5, 0, "n1")));
        assertEquals(PrepareOutcome.PROMISED, p.reply().outcome());
        assertEquals(Optional.of(value("old", 1)), p.current());
    }

    @Test
    void aCommitMergesTheUpdateIntoTheRecordThenRecordsTheCommit() throws Exception {
        Ballot b = Ballot.of(5, 0, "n1");
        Proposal p = Proposal.of(b, value("new", 5));
        await(replica.prepare(key, b));
        assertEquals(AcceptOutcome.ACCEPTED, await(replica.propose(key, p)).outcome());
        assertEquals(Optional.empty(), await(engine.read(key)), "accepting applies nothing");
        assertEquals(CommitOutcome.COMMITTED, await(replica.commit(key, p)));
        assertEquals(Optional.of(value("new", 5)), await(engine.read(key)));
        assertEquals(Optional.of(p), await(replica.state(key)).mostRecentCommit());
    }

    @Test
    void aCommitAppliedToTheRecordButNotRecordedIsSafelyCommittedAgain() throws Exception {
        Ballot b = Ballot.of(5, 0, "n1");
        Proposal p = Proposal.of(b, value("new", 5));
        await(replica.prepare(key, b));
        await(replica.propose(key, p));
        // a crash after the record merge and before the Paxos state write
        await(engine.update(key, c -> value("new", 5)));
        Promise next = await(replica.prepare(key, Ballot.of(6, 0, "n2")));
        assertEquals(Optional.of(p), next.reply().accepted(), "still in progress: the next round repairs it");
        Proposal repaired = p.withBallot(Ballot.of(6, 0, "n2"));
        await(replica.propose(key, repaired));
        assertEquals(CommitOutcome.COMMITTED, await(replica.commit(key, repaired)));
        assertEquals(Optional.of(value("new", 5)), await(engine.read(key)), "the second merge changed nothing");
    }

    @Test
    void aRejectedPrepareReadsNothing() throws Exception {
        await(replica.prepare(key, Ballot.of(9, 0, "n1")));
        Promise p = await(replica.prepare(key, Ballot.of(8, 0, "n2")));
        assertEquals(PrepareOutcome.REJECTED, p.reply().outcome());
        assertEquals(Ballot.of(9, 0, "n1"), p.reply().promised());
        assertTrue(p.current().isEmpty());
    }
}
