package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvorum.storage.paxos.Acceptor;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosState;
import io.kvorum.storage.paxos.PaxosStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaxosStoreMapDbTest extends PaxosStoreContract {
    @TempDir
    Path directory;

    @Override
    protected PaxosStore newStore() {
        return MapDbPaxosStore.open(directory.resolve("node"));
    }

    @Test
    void stateSurvivesReopening() throws Exception {
        await(store.apply(key("k"), s -> Acceptor.prepare(s, Ballot.of(10, 0, "n1"))));
        await(store.apply(key("k"), s -> Acceptor.propose(s, proposal(10))));
        await(store.apply(key("j"), s -> Acceptor.commit(s, proposal(7))));
        PaxosState k = await(store.read(key("k")));
        PaxosState j = await(store.read(key("j")));
        store.close();
        store = MapDbPaxosStore.open(directory.resolve("node"));
        assertEquals(k, await(store.read(key("k"))));
        assertEquals(Optional.of(proposal(10)), k.accepted());
        assertEquals(j, await(store.read(key("j"))));
    }

    @Test
    void everyChangeIsCommittedBeforeItsFutureCompletesAndNoChangeCommitsNothing() throws Exception {
        MapDbPaxosStore mapDb = (MapDbPaxosStore) store;
        long before = mapDb.commitCount();
        await(store.apply(key("k"), s -> Acceptor.prepare(s, Ballot.of(10, 0, "n1"))));
        long afterPromise = mapDb.commitCount();
        assertEquals(before + 1, afterPromise);
        await(store.apply(key("k"), s -> Acceptor.prepare(s, Ballot.of(9, 0, "n1")))); // rejected: unchanged
        assertEquals(afterPromise, mapDb.commitCount());
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFails() {
        assertThrows(IllegalStateException.class, () -> MapDbPaxosStore.open(directory.resolve("node")));
    }
}
