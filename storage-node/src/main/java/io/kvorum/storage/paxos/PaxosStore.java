package io.kvorum.storage.paxos;

import io.kvorum.storage.StorageKey;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An acceptor's durable Paxos state, one {@link PaxosState} per key (an absent key reads as
 * {@link PaxosState#EMPTY}).
 *
 * <p>{@link #apply} is an atomic read-modify-write of one key's state, like
 * {@link io.kvorum.storage.StorageEngine#update}: no other change of that key interleaves, and when
 * the future completes the next state is durable (synced), so the acceptor may reply. A
 * transition that leaves the state unchanged writes nothing. Futures complete on the store's own
 * thread; callers must not block on them.
 */
public interface PaxosStore extends AutoCloseable {

    /** A transition's result: the next state, and what the caller gets back. */
    interface Transition {
        PaxosState next();
    }

    CompletableFuture<PaxosState> read(StorageKey key);

    /**
     * Applies {@code step} (pure and quick: it runs on the store's thread) to the key's current
     * state, stores {@code next()} durably when it differs, and answers the transition.
     */
    <T extends Transition> CompletableFuture<T> apply(StorageKey key, Function<PaxosState, T> step);

    @Override
    void close();
}
