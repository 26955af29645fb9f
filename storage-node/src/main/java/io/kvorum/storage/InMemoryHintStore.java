package io.kvorum.storage;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The reference {@link HintStore}: the hints encoded as on disk ({@link HintCodec}) in a sorted
 * map in memory, owned by one thread that runs every operation in submission order. Nothing
 * survives {@link #close()}.
 */
public final class InMemoryHintStore implements HintStore {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int EXPIRE_STEP = 10_000;

    private final HintTable table;
    private final int expireStep;
    private final SerialExecutor thread;

    public InMemoryHintStore(long maxHints) {
        this(maxHints, EXPIRE_STEP);
    }

    /** With a given number of hints visited per expiry step (small in tests). */
    InMemoryHintStore(long maxHints, int expireStep) {
        if (expireStep < 1) {
            throw new IllegalArgumentException("expireStep must be >= 1: " + expireStep);
        }
        this.expireStep = expireStep;
        this.table = new HintTable(new TreeMap<>(Arrays::compareUnsigned), maxHints, HintTable.Access.DIRECT);
        String name = "kvorum-memory-hints-" + INSTANCES.incrementAndGet();
        this.thread = new SerialExecutor(name, "hint store", table::publish);
    }

    @Override
    public CompletableFuture<Void> put(String target, StorageKey key, KeyRecord record, long nowMillis) {
        Hint.requireValidTarget(target);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(record, "record");
        return submit(() -> {
            table.put(target, key, record, nowMillis);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<Hint>> pending(String target, int limit) {
        Hint.requireValidTarget(target);
        HintTable.requireLimit(limit);
        return submit(() -> table.pending(target, null, limit));
    }

    @Override
    public CompletableFuture<List<Hint>> pending(String target, StorageKey after, int limit) {
        Hint.requireValidTarget(target);
        Objects.requireNonNull(after, "after");
        HintTable.requireLimit(limit);
        return submit(() -> table.pending(target, after, limit));
    }

    @Override
    public CompletableFuture<Boolean> remove(Hint delivered) {
        Objects.requireNonNull(delivered, "delivered");
        return submit(() -> table.remove(delivered));
    }

    @Override
    public CompletableFuture<Integer> expire(long cutoffMillis) {
        return submit(() -> {
            int dropped = 0;
            HintTable.ExpireStep step = null;
            do {
                step = table.expireStep(cutoffMillis, step == null ? null : step.resumeAfter(), expireStep);
                dropped += step.dropped();
            } while (!step.done());
            return dropped;
        });
    }

    /** For tests: runs {@code action} on the store's thread, in turn with the other operations. */
    CompletableFuture<Void> runOnStoreThread(Runnable action) {
        return submit(() -> {
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

    @Override
    public void close() {
        thread.close();
    }

    private <T> CompletableFuture<T> submit(Supplier<T> operation) {
        return thread.submit(operation);
    }
}
