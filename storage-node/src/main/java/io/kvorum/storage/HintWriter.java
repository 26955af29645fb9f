package io.kvorum.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of {@link MapDbHintStore}: group commit over a {@link MapDbStore}, with
 * {@link Durability#SYNC} semantics only. It drains the queue, runs the batch's operations in
 * submission order, commits once if any of them wrote, runs {@code afterCommit} (which publishes
 * the counters), and only then completes the batch's futures, reads included. A commit or store
 * failure fails the affected operations and every later one (fail-stop); the store is closed when
 * the writer ends.
 *
 * <p>This is the SYNC path of {@link MapDbStorageEngine}'s writer, copied (about 100 lines) rather
 * than shared so that the engine's code and behaviour stay untouched; it reuses
 * {@link QueuedOperation} as it is.
 */
final class HintWriter {
    static final int MAX_BATCH = MapDbStorageEngine.MAX_BATCH;
    static final int MAX_BATCH_BYTES = MapDbStorageEngine.MAX_BATCH_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(HintWriter.class);

    private final MapDbStore store;
    private final Runnable afterCommit;
    private final BlockingQueue<QueuedOperation<?>> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicLong commits = new AtomicLong();
    private volatile Throwable failure;
    private boolean closed; // guarded by submitLock

    // writer thread only
    private boolean dirty;
    private long uncommittedBytes;

    HintWriter(MapDbStore store, String threadName, Runnable afterCommit) {
        this.store = store;
        this.afterCommit = afterCommit;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    <T> CompletableFuture<T> submit(Supplier<T> action) {
        QueuedOperation<T> op = new QueuedOperation<>(action);
        synchronized (submitLock) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("hint store is closed: " + store.directory));
            }
            queue.add(op);
        }
        return op.future;
    }

    /** A call into MapDB: a failure there means the store itself is in trouble (fail-stop). */
    <T> T access(Supplier<T> call) {
        Thread.interrupted(); // an interrupt would close MapDB's file channel
        try {
            return call.get();
        } catch (RuntimeException | Error e) {
            fail("hint store access failed", e);
            throw new StorageException("hint store access failed: " + e, e);
        }
    }

    /** The store was changed: the batch must commit before its futures complete. */
    void wrote(long bytes) {
        dirty = true;
        uncommittedBytes += bytes;
    }

    long commitCount() {
        return commits.get();
    }

    boolean isHealthy() {
        return failure == null;
    }

    /** Completes everything submitted before, commits, closes the store. Idempotent. */
    void close() {
        synchronized (submitLock) {
            if (!closed) {
                closed = true;
                queue.add(QueuedOperation.CLOSE);
            }
        }
        if (Thread.currentThread() == thread) {
            return; // the writer closes the store after the current batch
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

    private void run() {
        List<QueuedOperation<?>> batch = new ArrayList<>();
        List<QueuedOperation<?>> applied = new ArrayList<>();
        boolean closing = false;
        try {
            while (!closing) {
                batch.add(take());
                queue.drainTo(batch, MAX_BATCH - 1);
                for (QueuedOperation<?> op : batch) {
                    if (op == QueuedOperation.CLOSE) {
                        closing = true;
                        continue;
                    }
                    Thread.interrupted();
                    op.run(failure);
                    applied.add(op);
                    if (uncommittedBytes >= MAX_BATCH_BYTES) {
                        finish(applied);
                    }
                }
                finish(applied);
                batch.clear();
            }
        } catch (Throwable t) {
            fail("hint writer failed", t);
            StorageException error = new StorageException("hint writer failed", t);
            batch.forEach(op -> op.fail(error));
            failPending(error);
        } finally {
            closeStore();
        }
    }

    private QueuedOperation<?> take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // nobody but close() stops the writer, and close() uses the queue
            }
        }
    }

    /** Commits the applied operations if they wrote, publishes, then completes them. */
    private void finish(List<QueuedOperation<?>> applied) {
        if (dirty) {
            commit(applied);
        }
        if (failure == null) {
            afterCommit.run();
        }
        applied.forEach(QueuedOperation::complete);
        applied.clear();
    }

    private void commit(List<QueuedOperation<?>> affected) {
        Throwable cause = failure;
        Thread.interrupted();
        if (cause == null) {
            try {
                store.commit();
                commits.incrementAndGet();
            } catch (RuntimeException | Error e) {
                fail("hint store commit failed", e);
                cause = e;
            }
        }
        if (cause != null) {
            try {
                store.rollback();
            } catch (RuntimeException e) {
                LOG.warn("hint store rollback failed: {}", store.directory, e);
            }
            StorageException error = new StorageException("hint store commit failed; nothing of this batch is durable",
                    cause);
            affected.forEach(op -> op.fail(error));
        }
        dirty = false;
        uncommittedBytes = 0;
    }

    private void fail(String what, Throwable cause) {
        if (failure == null) {
            failure = cause;
            LOG.error("{}: the hint store in {} stops accepting work until restarted", what, store.directory, cause);
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
            LOG.info("closed hint store {}", store.directory);
        } catch (RuntimeException e) {
            LOG.warn("closing the hint store failed: {}", store.directory, e);
        } finally {
            terminated.complete(null);
        }
    }
}
