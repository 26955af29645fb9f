package io.kvorum.storage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Hinted handoff's durable store on the node that holds the hints: writes that another node (the
 * target) missed, to be replayed to it when it is seen up again (DESIGN.md §4, §5).
 *
 * <p>Hints are <b>coalesced per (target, key)</b>: a later hint for the same key is merged into the
 * stored one ({@link KeyRecord#merge}), and the stored hint keeps the earliest creation time, so
 * the hint window is measured from the first write the target missed. The store is bounded by a
 * number of hints ({@code maxHints}) and, through {@link #expire}, by age.
 *
 * <p>All operations are asynchronous and run in submission order on the store's own thread; the
 * returned futures complete on that thread, never the caller's, and callers must never block on
 * them. When a future of a change completes normally the change is durable (like
 * {@link StorageEngine#update} with {@link Durability#SYNC}). After {@link #close()}, every
 * operation returns a future failed with {@link IllegalStateException}. Invalid arguments (null,
 * an empty target, a limit below 1) throw at once.
 */
public interface HintStore extends AutoCloseable {

    /**
     * Stores a hint for {@code target} (a node id), coalescing it into the hint already stored for
     * (target, key) if there is one. Fails with {@link HintStoreFullException} when the store holds
     * {@code maxHints} hints already and there is none for (target, key) yet; coalescing into an
     * existing hint is always accepted.
     */
    CompletableFuture<Void> put(String target, StorageKey key, KeyRecord record, long nowMillis);

    /**
     * Up to {@code limit} hints for {@code target}, in key order ({@link StorageKey} order:
     * partition, bucket, key), not by age: a delivery loop reads a page, delivers it and removes
     * what the target acknowledged.
     */
    CompletableFuture<List<Hint>> pending(String target, int limit);

    /**
     * Like {@link #pending(String, int)}, starting after {@code after} (exclusive): pages through a
     * target's hints, so that a hint the target keeps refusing does not block the ones after it.
     */
    CompletableFuture<List<Hint>> pending(String target, StorageKey after, int limit);

    /**
     * Deletes the hint for {@code delivered}'s (target, key) only if its stored record still equals
     * {@code delivered.record()}: a write coalesced into it after it was read is not lost, it stays
     * to be delivered. Returns whether the hint was deleted (counted as delivered).
     */
    CompletableFuture<Boolean> remove(Hint delivered);

    /**
     * Drops every hint created before {@code cutoffMillis} (now minus the hint window), for all
     * targets; returns how many (counted as expired). This scans every hint; it runs as several
     * steps, each made durable on its own, so other operations interleave with a long expiry and a
     * close between steps fails the future after some hints were dropped.
     */
    CompletableFuture<Integer> expire(long cutoffMillis);

    /**
     * The number of hints held per target (only targets that have some, sorted by target), as of
     * the last completed change; from memory, cheap, callable from any thread. Rebuilt from the
     * stored hints when a durable store opens.
     */
    Map<String, Long> pendingCounts();

    /** What the store did since it was opened; cheap, callable from any thread. */
    HintStats stats();

    /** The most hints the store holds. */
    long maxHints();

    /** Finishes the operations already submitted, makes them durable and releases the store. */
    @Override
    void close();
}
