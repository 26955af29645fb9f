package io.kvorum.storage.paxos;

import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.StorageEngine;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Acceptor.AcceptStep;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Acceptor.CommitStep;
import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One node's acceptor: the {@link Acceptor} rules applied to the durable {@link PaxosStore}, with
 * the key's regular record in the {@link StorageEngine}.
 *
 * <ul>
 *   <li>prepare: the promise is durable before the reply; a promise also carries the key's
 *       current record, read after the promise, so the proposer's quorum read rides on the
 *       prepare round trip.
 *   <li>commit: first merges the committed update into the key's record (durable), then records
 *       the commit in the Paxos state. A crash between the two leaves the proposal accepted but
 *       not marked committed: the next round finds it in progress and commits it again, and the
 *       second merge changes nothing (merges are idempotent). The other order could mark a commit
 *       whose update never reached the record, which no later round would repair.
 * </ul>
 */
public final class PaxosReplica {
    private final PaxosStore store;
    private final StorageEngine engine;

    public PaxosReplica(PaxosStore store, StorageEngine engine) {
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    public CompletableFuture<Promise> prepare(StorageKey key, Ballot ballot) {
        return store.apply(key, state -> Acceptor.prepare(state, ballot))
                .thenCompose(step -> step.reply().outcome() == PrepareOutcome.PROMISED
                        ? engine.read(key).thenApply(current -> new Promise(step.reply(), current))
                        : CompletableFuture.completedFuture(new Promise(step.reply(), Optional.empty())));
    }

    public CompletableFuture<AcceptReply> propose(StorageKey key, Proposal proposal) {
        return store.apply(key, state -> Acceptor.propose(state, proposal)).thenApply(AcceptStep::reply);
    }

    public CompletableFuture<CommitOutcome> commit(StorageKey key, Proposal proposal) {
        KeyRecord update = proposal.update().orElseThrow(
                () -> new IllegalArgumentException("an empty proposal (a fence) is never committed"));
        return engine.update(key, current -> current.map(c -> c.merge(update)).orElse(update))
                .thenCompose(merged -> store.apply(key, state -> Acceptor.commit(state, proposal)))
                .thenApply(CommitStep::outcome);
    }

    /** The acceptor's state of {@code key}, for inspection. */
    public CompletableFuture<PaxosState> state(StorageKey key) {
        return store.read(key);
    }
}
