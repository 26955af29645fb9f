package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.paxos.Acceptor;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosState;
import io.kvorum.storage.paxos.PaxosStore;
import io.kvorum.storage.paxos.Proposal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link PaxosStore} must have. */
abstract class PaxosStoreContract {
    protected PaxosStore store;

    protected abstract PaxosStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    record Step(PaxosState next, String result) implements PaxosStore.Transition {
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static StorageKey key(String k) {
        return new StorageKey(1, "b", k.getBytes(StandardCharsets.UTF_8));
    }

    static Proposal proposal(long t) {
        return Proposal.of(Ballot.of(t, 0, "n1"), LwwRecord.of(Sibling.of(("v" + t).getBytes(StandardCharsets.UTF_8),
                "text/plain", new HlcTimestamp(t, 0, "n1"))));
    }

    @Test
    void anUnknownKeyReadsAsTheEmptyState() throws Exception {
        assertEquals(PaxosState.EMPTY, await(store.read(key("nothing"))));
    }

    @Test
    void transitionsAreStoredPerKeyAndAnswered() throws Exception {
        Ballot b = Ballot.of(10, 0, "n1");
        Acceptor.PrepareStep s = await(store.apply(key("a"), state -> Acceptor.prepare(state, b)));
        assertEquals(Acceptor.PrepareOutcome.PROMISED, s.reply().outcome());
        assertEquals(Optional.of(b), await(store.read(key("a"))).promised());
        assertEquals(PaxosState.EMPTY, await(store.read(key("b"))));
        await(store.apply(key("a"), state -> Acceptor.propose(state, proposal(10))));
        await(store.apply(key("a"), state -> Acceptor.commit(state, proposal(10))));
        PaxosState state = await(store.read(key("a")));
        assertEquals(Optional.of(proposal(10)), state.mostRecentCommit());
        assertEquals(Optional.empty(), state.accepted());
    }

    @Test
    void readModifyWritesOfOneKeyDoNotInterleave() throws Exception {
        List<CompletableFuture<Step>> all = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            int n = i;
            all.add(store.apply(key("race"), state -> {
                long t = state.promised().map(p -> p.stamp().wallMillis()).orElse(0L);
                return new Step(state.withPromised(Ballot.of(t + 1, 0, "n1")), "step " + n);
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(200L, await(store.read(key("race"))).promised().orElseThrow().stamp().wallMillis());
    }

    @Test
    void aFailingTransitionWritesNothing() throws Exception {
        CompletableFuture<Step> f = store.apply(key("x"), state -> {
            throw new IllegalStateException("boom");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(PaxosState.EMPTY, await(store.read(key("x"))));
    }
}
