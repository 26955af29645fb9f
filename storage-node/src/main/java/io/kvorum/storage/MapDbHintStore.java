package io.kvorum.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's durable {@link HintStore}: its own crash-safe MapDB store ({@link MapDbStore}, files
 * {@value #FILE_PREFIX}{@code .db/.journal/.lock} in the node's data directory, next to and
 * independent of the record store) holding a B-tree of {@link HintCodec} keys and values, so that
 * one target's hints are a contiguous range.
 *
 * <p>One writer thread ({@link GroupCommitWriter}) owns the store and commits with group commit: a
 * future completes only once its batch is committed (journal and store file synced), and a
 * {@code kill -9} at any moment loses no acknowledged change (the guarantee of the
 * {@link StoreJournal}, see docs/storage-durability.md). The per-target counts are rebuilt by
 * scanning the keys when the store opens, then kept in memory.
 */
public final class MapDbHintStore implements HintStore {
    static final String FILE_PREFIX = "kvorum-hints";
    /** Hints visited per expiry step: bounds the size of one commit. */
    static final int EXPIRE_STEP = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(MapDbHintStore.class);

    private final MapDbStore store;
    private final GroupCommitWriter writer;
    private final HintTable table;
    private final int expireStep;

    private MapDbHintStore(MapDbStore store, long maxHints, int expireStep) {
        this.store = store;
        this.expireStep = expireStep;
        this.writer = new GroupCommitWriter(store, "hint store",
                "kvorum-hints-writer[" + store.directory.getFileName() + "]", Durability.SYNC, 1,
                new GroupCommitWriter.Hooks() {
                    @Override
                    public void afterBatch(boolean wrote) {
                        publish();
                    }
                });
        this.table = new HintTable(store.records, maxHints, new HintTable.Access() {
            @Override
            public <T> T call(Supplier<T> call) {
                return writer.access(call);
            }

            @Override
            public void wrote(long bytes) {
                writer.wrote(bytes);
            }
        });
    }

    /**
     * Opens (creating if needed) the hint store in the node's data {@code directory}, recovering a
     * commit that a crash interrupted. One store per directory: a second open fails while the
     * first is open. If it already holds more than {@code maxHints} hints (the limit was lowered),
     * it keeps them and refuses new (target, key) pairs until enough are delivered or expire.
     */
    public static MapDbHintStore open(Path directory, long maxHints) {
        return open(directory, maxHints, EXPIRE_STEP);
    }

    /** With a given number of hints visited per expiry step (small in tests). */
    static MapDbHintStore open(Path directory, long maxHints, int expireStep) {
        Objects.requireNonNull(directory, "directory");
        if (maxHints < 0) {
            throw new IllegalArgumentException("maxHints must be >= 0: " + maxHints);
        }
        if (expireStep < 1) {
            throw new IllegalArgumentException("expireStep must be >= 1: " + expireStep);
        }
        MapDbStore store = MapDbStore.open(directory, FILE_PREFIX);
        MapDbHintStore hints;
        try {
            hints = new MapDbHintStore(store, maxHints, expireStep);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
        hints.writer.start();
        LOG.info("opened hint store {} ({} hints for {} targets, limit {})", store.directory, hints.table.total(),
                hints.table.pendingCounts().size(), maxHints);
        return hints;
    }

    @Override
    public CompletableFuture<Void> put(String target, StorageKey key, KeyRecord record, long nowMillis) {
        Hint.requireValidTarget(target);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(record, "record");
        return writer.submit(() -> {
            table.put(target, key, record, nowMillis);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<Hint>> pending(String target, int limit) {
        Hint.requireValidTarget(target);
        HintTable.requireLimit(limit);
        return writer.submit(() -> table.pending(target, null, limit));
    }

    @Override
    public CompletableFuture<List<Hint>> pending(String target, StorageKey after, int limit) {
        Hint.requireValidTarget(target);
        Objects.requireNonNull(after, "after");
        HintTable.requireLimit(limit);
        return writer.submit(() -> table.pending(target, after, limit));
    }

    @Override
    public CompletableFuture<Boolean> remove(Hint delivered) {
        Objects.requireNonNull(delivered, "delivered");
        return writer.submit(() -> table.remove(delivered));
    }

    @Override
    public CompletableFuture<Integer> expire(long cutoffMillis) {
        return expireFrom(cutoffMillis, null, 0);
    }

    /** One step per queued operation, each committed with its batch, chained on the writer thread. */
    private CompletableFuture<Integer> expireFrom(long cutoffMillis, byte[] resumeAfter, int droppedSoFar) {
        return writer.submit(() -> table.expireStep(cutoffMillis, resumeAfter, expireStep))
                .thenCompose(step -> step.done()
                        ? CompletableFuture.completedFuture(droppedSoFar + step.dropped())
                        : expireFrom(cutoffMillis, step.resumeAfter(), droppedSoFar + step.dropped()));
    }

    /** For tests: runs {@code action} on the store's thread, in turn with the other operations. */
    CompletableFuture<Void> runOnStoreThread(Runnable action) {
        return writer.submit(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public Map<String, Long> pendingCounts() {
        return table.pendingCounts();
    }

    @Override
    public HintStats stats() {
        return table.stats();
    }

    @Override
    public long maxHints() {
        return table.maxHints();
    }

    /** How many times the writer has committed (and synced) the store since it was opened. */
    public long commitCount() {
        return writer.commitCount();
    }

    /** False once a store access or commit has failed; the store then refuses all work. */
    public boolean isHealthy() {
        return writer.isHealthy();
    }

    /** Called by the writer after each committed batch. */
    private void publish() {
        table.publish();
    }

    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return "MapDbHintStore[" + store.directory + "]";
    }
}
