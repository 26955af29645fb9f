package io.kvorum.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's real store: one transactional MapDB store per node ({@link MapDbStore}) holding a
 * B-tree of {@link StorageKey#encode()} → {@link RecordCodec#encode} and a metadata map.
 *
 * <p><b>Group commit.</b> One dedicated writer thread owns the store. It drains the queue of
 * pending operations (reads and writes alike) in submission order, applies them, commits once if
 * any of them wrote, and only then completes the futures of the whole batch, reads included, so a
 * caller never sees a write that is not yet durable. A commit syncs the redo journal and the store
 * file ({@link JournaledVolume}); however many writes were queued, they share those syncs. A
 * batch is cut after {@value #MAX_BATCH} operations or {@value #MAX_BATCH_BYTES} bytes of written
 * data, which bounds the memory a commit holds.
 *
 * <p>With {@link Durability#PERIODIC}, futures complete as soon as their batch is applied, and
 * the writer commits at most every {@code periodicSyncMillis} (sooner only when the uncommitted
 * data passes the batch byte limit, and on close): a crash may lose the writes of that window.
 *
 * <p>If a commit or any call into MapDB fails, the engine fails the affected operations and every
 * later one with {@link StorageException} (fail-stop); a restart recovers the last committed
 * state. A stored record that does not decode fails only the operation that read it.
 */
public final class MapDbStorageEngine implements StorageEngine {
    static final int MAX_BATCH = 4096;
    static final int MAX_BATCH_BYTES = 16 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(MapDbStorageEngine.class);

    private final MapDbStore store;
    private final Durability durability;
    private final long periodicSyncNanos;
    private final BlockingQueue<QueuedOperation<?>> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final Thread writer;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicLong commits = new AtomicLong();
    private volatile long keyCount;
    private volatile Throwable failure;
    private volatile CommitListener commitListener = (writes, bytes, nanos) -> { };
    private boolean closed; // guarded by submitLock

    // writer thread only
    private boolean dirty;
    private long uncommittedBytes;
    private int uncommittedWrites;
    private long lastCommitNanos;

    private MapDbStorageEngine(MapDbStore store, Durability durability, long periodicSyncMillis) {
        this.store = store;
        this.durability = durability;
        this.periodicSyncNanos = TimeUnit.MILLISECONDS.toNanos(periodicSyncMillis);
        this.keyCount = store.records.sizeLong();
        this.lastCommitNanos = System.nanoTime();
        this.writer = new Thread(this::runWriter, "kvorum-storage-writer[" + store.directory.getFileName() + "]");
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the store in {@code directory}. An existing store is recovered to
     * its last committed state, completing a commit that a crash interrupted. One engine per
     * directory: a second open fails while the first is open.
     *
     * @param periodicSyncMillis the longest interval between commits with
     *     {@link Durability#PERIODIC} (at least 1); ignored with {@link Durability#SYNC}
     */
    public static MapDbStorageEngine open(Path directory, Durability durability, long periodicSyncMillis) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        if (durability == Durability.PERIODIC && periodicSyncMillis < 1) {
            throw new IllegalArgumentException("periodicSyncMillis must be >= 1 with PERIODIC durability: "
                    + periodicSyncMillis);
        }
        MapDbStore store = MapDbStore.open(directory);
        MapDbStorageEngine engine;
        try {
            engine = new MapDbStorageEngine(store, durability, Math.max(1, periodicSyncMillis));
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
        engine.writer.start();
        LOG.info("opened storage {} ({} keys, durability {})", store.directory, engine.keyCount, durability);
        return engine;
    }

    @Override
    public CompletableFuture<Optional<KeyRecord>> read(StorageKey key) {
        byte[] encoded = key.encode();
        return submit(new QueuedOperation<>(() -> readRecord(encoded)));
    }

    @Override
    public CompletableFuture<KeyRecord> update(StorageKey key, Function<Optional<KeyRecord>, KeyRecord> fn) {
        Objects.requireNonNull(fn, "fn");
        byte[] encoded = key.encode();
        return submit(new QueuedOperation<>(() -> {
            KeyRecord next = fn.apply(readRecord(encoded));
            Thread.interrupted(); // an interrupt would close MapDB's file channel; the writer ignores them
            Objects.requireNonNull(next, "the update function returned null");
            byte[] bytes = RecordCodec.encode(next);
            mutate(() -> store.records.put(encoded, bytes), encoded.length + bytes.length);
            return next;
        }));
    }

    @Override
    public CompletableFuture<Map<String, byte[]>> readMeta() {
        return submit(new QueuedOperation<>(() -> {
            Map<String, byte[]> copy = new HashMap<>();
            access(() -> {
                store.meta.forEach((k, v) -> copy.put(k, v.clone()));
                return null;
            });
            return Collections.unmodifiableMap(copy);
        }));
    }

    @Override
    public CompletableFuture<Void> writeMeta(String name, byte[] value) {
        Objects.requireNonNull(name, "name");
        byte[] copy = value.clone();
        return submit(new QueuedOperation<>(() -> {
            mutate(() -> store.meta.put(name, copy), name.length() + copy.length);
            return null;
        }));
    }

    @Override
    public long approximateKeyCount() {
        return keyCount;
    }

    /** Called on the writer thread after every successful commit; must be quick and must not throw. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(int writes, long bytes, long nanos);
    }

    /** Observes commits (for metrics); replaces any earlier listener. */
    public void setCommitListener(CommitListener listener) {
        this.commitListener = Objects.requireNonNull(listener, "listener");
    }

    private void notifyCommit(int writes, long bytes, long nanos) {
        try {
            commitListener.committed(writes, bytes, nanos);
        } catch (RuntimeException e) {
            LOG.warn("commit listener failed", e);
        }
    }

    /** How many times the writer has committed (and synced) the store since it was opened. */
    public long commitCount() {
        return commits.get();
    }

    /** False once a store access or commit has failed; the engine then refuses all work. */
    public boolean isHealthy() {
        return failure == null;
    }

    public Durability durability() {
        return durability;
    }

    /** For fault-injection tests. */
    MapDbStore store() {
        return store;
    }

    /**
     * Completes every operation submitted before this call, commits, and closes the store.
     * Idempotent. Called from a continuation running on the writer thread, it returns at once
     * and the writer closes the store after the current batch.
     */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (!closed) {
                closed = true;
                queue.add(QueuedOperation.CLOSE);
            }
        }
        if (Thread.currentThread() == writer) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                terminated.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> CompletableFuture<T> submit(QueuedOperation<T> op) {
        synchronized (submitLock) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("storage engine is closed: " + store.directory));
            }
            queue.add(op);
        }
        return op.future;
    }

    /** The stored record; a record that does not decode fails this read only. */
    private Optional<KeyRecord> readRecord(byte[] encodedKey) {
        byte[] stored = access(() -> store.records.get(encodedKey));
        return stored == null ? Optional.empty() : Optional.of(RecordCodec.decode(stored));
    }

    /** A change to the store. */
    private void mutate(Runnable change, long bytes) {
        access(() -> {
            change.run();
            return null;
        });
        dirty = true;
        uncommittedBytes += bytes;
        uncommittedWrites++;
    }

    /** A call into MapDB: a failure there means the store itself is in trouble (fail-stop). */
    private <T> T access(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException | Error e) {
            fail("storage access failed", e);
            throw new StorageException("storage access failed: " + e, e);
        }
    }

    // ---- the writer thread ----

    private void runWriter() {
        List<QueuedOperation<?>> batch = new ArrayList<>();
        List<QueuedOperation<?>> applied = new ArrayList<>();
        boolean closing = false;
        try {
            while (!closing) {
                QueuedOperation<?> first = nextOperation();
                if (first == null) {
                    commit(List.of()); // PERIODIC: the interval passed with writes pending
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                for (QueuedOperation<?> op : batch) {
                    if (op == QueuedOperation.CLOSE) {
                        closing = true;
                        continue;
                    }
                    Thread.interrupted(); // set by a continuation of an earlier future, perhaps
                    op.run(failure);
                    applied.add(op);
                    if (uncommittedBytes >= MAX_BATCH_BYTES) {
                        finish(applied, true);
                    }
                }
                finish(applied, closing);
                batch.clear();
            }
        } catch (Throwable t) {
            fail("storage writer failed", t);
            StorageException error = new StorageException("storage writer failed", t);
            batch.forEach(op -> op.fail(error));
            failPending(error);
        } finally {
            closeStore();
        }
    }

    /** The next queued operation; null when a PERIODIC commit is due first. */
    private QueuedOperation<?> nextOperation() {
        while (true) {
            try {
                if (!dirty) {
                    return queue.take();
                }
                long wait = periodicSyncNanos - (System.nanoTime() - lastCommitNanos);
                return wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            } catch (InterruptedException e) {
                // nobody but close() stops the writer, and close() uses the queue
            }
        }
    }

    /** Makes the applied operations durable as the mode requires, then completes them. */
    private void finish(List<QueuedOperation<?>> applied, boolean forceCommit) {
        if (dirty) {
            keyCount = store.records.sizeLong();
        }
        if (durability == Durability.SYNC) {
            if (dirty) {
                commit(applied);
            }
            applied.forEach(QueuedOperation::complete);
        } else {
            applied.forEach(QueuedOperation::complete);
            boolean due = System.nanoTime() - lastCommitNanos >= periodicSyncNanos;
            if (dirty && (forceCommit || due || uncommittedBytes >= MAX_BATCH_BYTES)) {
                commit(List.of());
            }
        }
        applied.clear();
    }

    /** Commits; on failure fails {@code affected} and puts the engine in the failed state. */
    private void commit(List<QueuedOperation<?>> affected) {
        Throwable cause = failure;
        Thread.interrupted();
        if (cause == null) {
            try {
                long start = System.nanoTime();
                store.commit();
                commits.incrementAndGet();
                notifyCommit(uncommittedWrites, uncommittedBytes, System.nanoTime() - start);
            } catch (RuntimeException | Error e) {
                fail("storage commit failed", e);
                cause = e;
            }
        }
        if (cause != null) {
            rollbackQuietly();
            StorageException error = new StorageException("storage commit failed; nothing of this batch is durable", cause);
            affected.forEach(op -> op.fail(error));
        }
        dirty = false;
        uncommittedBytes = 0;
        uncommittedWrites = 0;
        lastCommitNanos = System.nanoTime();
    }

    private void fail(String what, Throwable cause) {
        if (failure == null) {
            failure = cause;
            LOG.error("{}: the engine for {} stops accepting work until restarted", what, store.directory, cause);
        }
    }

    private void rollbackQuietly() {
        try {
            store.rollback();
        } catch (RuntimeException e) {
            LOG.warn("storage rollback failed: {}", store.directory, e);
        }
    }

    private void failPending(StorageException error) {
        List<QueuedOperation<?>> rest = new ArrayList<>();
        synchronized (submitLock) {
            closed = true;
            queue.drainTo(rest);
        }
        rest.forEach(op -> op.fail(error));
    }

    private void closeStore() {
        try {
            store.close();
            LOG.info("closed storage {}", store.directory);
        } catch (RuntimeException e) {
            LOG.warn("closing storage failed: {}", store.directory, e);
        } finally {
            terminated.complete(null);
        }
    }
}
