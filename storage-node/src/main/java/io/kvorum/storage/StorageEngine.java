package io.kvorum.storage;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A node's local store of key records, plus a small durable side map of node metadata.
 *
 * <p>All operations are asynchronous: the returned futures complete on the engine's own
 * thread(s), or already on return (an engine may serve a read on the caller's thread), and
 * callers must never block on them (in Vert.x, convert with
 * {@code Future.fromCompletionStage(future, context)} to come back to the caller's context).
 * Dependent stages attached without an executor run on the engine's thread, or at once on the
 * caller's; keep them short.
 *
 * <p>After {@link #close()}, every operation returns a future failed with
 * {@link IllegalStateException}.
 */
public interface StorageEngine extends AutoCloseable {

    /** The record stored under {@code key}, or empty. */
    CompletableFuture<Optional<KeyRecord>> read(StorageKey key);

    /**
     * Atomic read-modify-write of one key: {@code fn} gets the current record (or empty) and
     * returns the record to store. No other update of the engine interleaves with it. When the
     * future completes normally the new record is durable (with {@link Durability#SYNC}). If
     * {@code fn} throws (or returns null), the future fails with that exception and nothing is
     * written. {@code fn} runs on the engine's thread: it must be pure and quick (see
     * {@link RecordWrites}).
     */
    CompletableFuture<KeyRecord> update(StorageKey key, Function<Optional<KeyRecord>, KeyRecord> fn);

    /** What a {@link #merge} found (empty: no record) and what it stored. */
    record Merged(Optional<KeyRecord> previous, KeyRecord stored) {
        public Merged {
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(stored, "stored");
        }
    }

    /**
     * Merges {@code incoming} into the key's record ({@link KeyRecord#merge}; {@code incoming}
     * itself when there is none): {@link #update} with that function, and the same guarantees.
     * Engines may do it more cheaply than a read followed by a write.
     */
    default CompletableFuture<Merged> merge(StorageKey key, KeyRecord incoming) {
        Objects.requireNonNull(incoming, "incoming");
        AtomicReference<Optional<KeyRecord>> previous = new AtomicReference<>();
        return update(key, current -> {
            previous.set(current);
            return current.map(c -> c.merge(incoming)).orElse(incoming);
        }).thenApply(stored -> new Merged(previous.get(), stored));
    }

    /** A snapshot of the whole metadata map. */
    CompletableFuture<Map<String, byte[]>> readMeta();

    /** Stores one metadata entry, durably like {@link #update}. */
    CompletableFuture<Void> writeMeta(String name, byte[] value);

    /**
     * Until {@link #releaseHeld()} on this thread, the operations this thread submits may be held
     * back and then handed to the engine's thread together (one hand-off instead of one per
     * operation). True when this call started holding: the caller must then call
     * {@link #releaseHeld()} soon, on this thread, and must not wait for a held operation before
     * it has. An engine without such a queue ignores it.
     */
    default boolean holdSubmissions() {
        return false;
    }

    /** Hands over what this thread submitted since {@link #holdSubmissions()}, in order. */
    default void releaseHeld() {
    }

    /** The number of stored keys, possibly slightly stale. */
    long approximateKeyCount();

    /** Finishes the operations already submitted, makes them durable and releases the store. */
    @Override
    void close();
}
