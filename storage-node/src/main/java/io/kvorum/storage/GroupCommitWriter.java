package io.kvorum.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a {@link MapDbStore}, with group commit. It drains the queue of
 * pending operations (reads and writes alike) in submission order, applies them, and then:
 * with {@link Durability#SYNC}, commits once if any of them wrote and only then completes the
 * batch's futures (reads included, so a caller never sees a write that is not yet durable); with
 * {@link Durability#PERIODIC}, completes the futures at once and commits at most every
 * {@code periodicSyncNanos} (sooner when {@link #MAX_BATCH_BYTES} are pending, and on close). A
 * batch is also cut at {@link #MAX_BATCH} operations or {@link #MAX_BATCH_BYTES}.
 *
 * <p>A failed store access or commit fails the affected operations and every later one with
 * {@link StorageException} (fail-stop); a restart recovers the last committed state. The store is
 * closed when the writer ends. Shared by the record store ({@link MapDbStorageEngine}) and the
 * hint store ({@link MapDbHintStore}).
 */
final class GroupCommitWriter {
    static final int MAX_BATCH = 4096;
    static final int MAX_BATCH_BYTES = 16 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Called on the writer thread; must be quick and must not throw. */
    interface Hooks {
        /** After a batch was applied (and, in SYNC mode, committed), before its futures complete. */
        default void afterBatch(boolean wrote) {
        }

        /** After each successful commit. */
        default void committed(int writes, long bytes, long nanos) {
        }
    }

    private final MapDbStore store;
    private final String what;
    private final Durability durability;
    private final long periodicSyncNanos;
    private final Hooks hooks;
    private final BlockingQueue<QueuedOperation<?>> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    /**
     * Held by whoever uses the store: the writer while it applies an operation or commits (but not
     * while the commit waits for its sync), and a read served on its caller's thread ({@link #tryRead}).
     */
    private final ReentrantLock storeLock = new ReentrantLock();
    private final AtomicLong inlineReads = new AtomicLong();
    /** Record writes submitted (or held) and not applied yet, by encoded key: see {@link #submitWrite}. */
    private final ConcurrentHashMap<ByteBuffer, Integer> pendingWrites = new ConcurrentHashMap<>();
    private boolean storeClosed; // guarded by storeLock
    private final ThreadLocal<List<QueuedOperation<?>>> held = new ThreadLocal<>(); // see hold()
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicLong commits = new AtomicLong();
    private volatile Throwable failure;
    private boolean closed; // guarded by submitLock

    // written by the writer thread only; dirtyKeys and untrackedWrite under storeLock
    private boolean dirty;
    private long uncommittedBytes;
    private int uncommittedWrites;
    private final Set<ByteBuffer> dirtyKeys = new HashSet<>();
    private boolean untrackedWrite;
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param what how log lines and errors name the store, e.g. "storage" or "hint store"
     */
    GroupCommitWriter(MapDbStore store, String what, String threadName, Durability durability,
                      long periodicSyncNanos, Hooks hooks) {
        this.store = store;
        this.what = what;
        this.durability = durability;
        this.periodicSyncNanos = periodicSyncNanos;
        this.hooks = hooks;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        store.volume().shareWith(storeLock);
    }

    void start() {
        thread.start();
    }

    <T> CompletableFuture<T> submit(Supplier<T> action) {
        return enqueue(new QueuedOperation<>(action));
    }

    /**
     * A read of one record. In SYNC mode it completes as soon as it has run, without waiting for
     * its batch's commit, unless a write earlier in the still uncommitted batch touched the same
     * key: a read of an untouched key saw only committed data, so it reveals nothing that is not
     * durable, and it need not wait for another batch's fsync.
     */
    <T> CompletableFuture<T> submitRead(byte[] encodedKey, Supplier<T> action) {
        return enqueue(new QueuedOperation<>(action, ByteBuffer.wrap(encodedKey.clone()), null));
    }

    /**
     * A write of one record: as {@link #submit}, and until it has been applied a read of that key
     * is not served on its caller's thread ({@link #tryRead}), so it cannot overtake the write.
     */
    <T> CompletableFuture<T> submitWrite(byte[] encodedKey, Supplier<T> action) {
        return enqueue(new QueuedOperation<>(action, null, ByteBuffer.wrap(encodedKey.clone())));
    }

    /**
     * Runs a read of one record on the calling thread, if the store is free at this moment (the
     * writer is idle, or its commit waits for the sync), no write of that key submitted before
     * waits to be applied ({@link #submitWrite}), and the read sees only data as durable as the
     * mode requires (SYNC: no write to that key waits for its commit); otherwise answers null, and
     * the caller submits the read ({@link #submitRead}). It never blocks: one hand-off to the
     * writer and back saved, and no wait behind other keys' batches. Operations still take effect
     * in submission order, as far as anyone can tell: a read overtakes only writes of other keys.
     */
    <T> CompletableFuture<T> tryRead(byte[] encodedKey, Supplier<T> action) {
        if (failure != null || !storeLock.tryLock()) {
            return null;
        }
        try {
            ByteBuffer key = ByteBuffer.wrap(encodedKey);
            if (storeClosed || failure != null || pendingWrites.containsKey(key) || (durability == Durability.SYNC
                    && (untrackedWrite || dirtyKeys.contains(key)))) {
                return null;
            }
            inlineReads.incrementAndGet();
            try {
                return CompletableFuture.completedFuture(action.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        } finally {
            storeLock.unlock();
        }
    }

    /** Reads served on their caller's thread ({@link #tryRead}) so far. */
    long inlineReads() {
        return inlineReads.get();
    }

    private <T> CompletableFuture<T> enqueue(QueuedOperation<T> op) {
        if (op.writeKey != null) {
            pendingWrites.merge(op.writeKey, 1, Integer::sum);
        }
        List<QueuedOperation<?>> held = this.held.get();
        if (held != null) {
            held.add(op);
            return op.future;
        }
        synchronized (submitLock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedError());
            }
            queue.add(op);
        }
        return op.future;
    }

    /**
     * From now until {@link #release()} on this thread, what this thread submits is held back,
     * then queued at once: one hand-off, and one wake-up of the writer, for all of it, instead
     * of one each. True when this call started holding (the caller must then release); false
     * when this thread holds already.
     */
    boolean hold() {
        if (held.get() != null) {
            return false;
        }
        held.set(new ArrayList<>());
        return true;
    }

    /** Queues what this thread submitted since {@link #hold()}, in order, and stops holding. */
    void release() {
        List<QueuedOperation<?>> ops = held.get();
        held.remove();
        if (ops == null || ops.isEmpty()) {
            return;
        }
        synchronized (submitLock) {
            if (!closed) {
                queue.add(ops.size() == 1 ? ops.get(0) : QueuedOperation.group(ops)); // one entry: one batch
                return;
            }
        }
        RuntimeException error = closedError();
        ops.forEach(op -> op.fail(error));
    }

    /** Why work submitted after the writer stopped fails: the failure that stopped it, if one did. */
    private RuntimeException closedError() {
        Throwable cause = failure;
        return cause != null
                ? new StorageException(what + " failed earlier and is closed: " + cause, cause)
                : new IllegalStateException(what + " is closed: " + store.directory);
    }

    /** A call into MapDB: a failure there means the store itself is in trouble (fail-stop). */
    <T> T access(Supplier<T> call) {
        Thread.interrupted(); // an interrupt would close MapDB's file channel
        try {
            return call.get();
        } catch (RuntimeException | Error e) {
            fail(what + " access failed", e);
            throw new StorageException(what + " access failed: " + e, e);
        }
    }

    /** The store was changed: the batch must be committed as the durability mode requires. */
    void wrote(long bytes) {
        wrote(bytes, null);
    }

    /** A record was changed: as {@link #wrote(long)}, and reads of that key wait for the commit. */
    void wrote(long bytes, byte[] encodedKey) {
        dirty = true;
        uncommittedBytes += bytes;
        uncommittedWrites++;
        if (encodedKey != null) {
            dirtyKeys.add(ByteBuffer.wrap(encodedKey.clone()));
        } else {
            untrackedWrite = true;
        }
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    long commitCount() {
        return commits.get();
    }

    boolean isHealthy() {
        return failure == null;
    }

    /**
     * Completes everything submitted before, commits, closes the store. Idempotent. Called from a
     * continuation running on the writer thread, it returns at once and the writer closes the
     * store after the current batch.
     */
    void close() {
        synchronized (submitLock) {
            if (!closed) {
                closed = true;
                queue.add(QueuedOperation.CLOSE);
            }
        }
        if (isWriterThread()) {
            return;
        }
        terminated.join(); // uninterruptible; only ever completed normally
    }

    private void run() {
        List<QueuedOperation<?>> batch = new ArrayList<>();
        List<QueuedOperation<?>> applied = new ArrayList<>();
        boolean closing = false;
        try {
            while (!closing) {
                QueuedOperation<?> first = nextOperation();
                if (first == null) {
                    commitLocked(); // PERIODIC: the interval passed with writes pending
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                expandGroups(batch);
                for (QueuedOperation<?> op : batch) {
                    if (op == QueuedOperation.CLOSE) {
                        closing = true;
                        continue;
                    }
                    Thread.interrupted(); // set by a continuation of an earlier future, perhaps
                    storeLock.lock();
                    try {
                        op.run(failure);
                        if (op.writeKey != null) { // applied: dirtyKeys covers it until it is committed
                            pendingWrites.computeIfPresent(op.writeKey, (k, n) -> n == 1 ? null : n - 1);
                        }
                    } finally {
                        storeLock.unlock();
                    }
                    if (readsCommittedData(op)) {
                        op.complete();
                    } else {
                        applied.add(op);
                    }
                    if (uncommittedBytes >= MAX_BATCH_BYTES) {
                        finish(applied, true);
                    }
                }
                finish(applied, closing);
                batch.clear();
            }
        } catch (Throwable t) {
            fail(what + " writer failed", t);
            StorageException error = new StorageException(what + " writer failed", t);
            batch.forEach(op -> op.fail(error));
            failPending(error);
        } finally {
            closeStore();
        }
    }

    /** Replaces each group in {@code batch} by its operations, in order (a group may pass MAX_BATCH). */
    private static void expandGroups(List<QueuedOperation<?>> batch) {
        boolean any = false;
        for (QueuedOperation<?> op : batch) {
            any |= op.group != null;
        }
        if (!any) {
            return;
        }
        List<QueuedOperation<?>> expanded = new ArrayList<>(batch.size());
        for (QueuedOperation<?> op : batch) {
            if (op.group != null) {
                expanded.addAll(op.group);
            } else {
                expanded.add(op);
            }
        }
        batch.clear();
        batch.addAll(expanded);
    }

    private boolean readsCommittedData(QueuedOperation<?> op) {
        return op.readKey != null && durability == Durability.SYNC && failure == null && !untrackedWrite
                && !dirtyKeys.contains(op.readKey);
    }

    /** The next queued operation; null when a PERIODIC commit is due first. */
    private QueuedOperation<?> nextOperation() {
        while (true) {
            try {
                if (!dirty || durability == Durability.SYNC) {
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
        boolean wrote = dirty;
        if (durability == Durability.SYNC) {
            storeLock.lock();
            try {
                if (dirty) {
                    commit(applied);
                }
                afterBatch(wrote);
            } finally {
                storeLock.unlock();
            }
            applied.forEach(QueuedOperation::complete);
        } else {
            storeLock.lock();
            try {
                afterBatch(wrote);
            } finally {
                storeLock.unlock();
            }
            applied.forEach(QueuedOperation::complete);
            boolean due = System.nanoTime() - lastCommitNanos >= periodicSyncNanos;
            if (dirty && (forceCommit || due || uncommittedBytes >= MAX_BATCH_BYTES)) {
                commitLocked();
            }
        }
        applied.clear();
    }

    /** A commit of no particular operations (PERIODIC), holding the store lock. */
    private void commitLocked() {
        storeLock.lock();
        try {
            commit(List.of());
        } finally {
            storeLock.unlock();
        }
    }

    private void afterBatch(boolean wrote) {
        if (failure != null) {
            return;
        }
        try {
            hooks.afterBatch(wrote);
        } catch (RuntimeException e) {
            LOG.warn("{}: after-batch hook failed", what, e);
        }
    }

    /** Commits; on failure fails {@code affected} and puts the writer in the failed state. */
    private void commit(List<QueuedOperation<?>> affected) {
        Throwable cause = failure;
        Thread.interrupted();
        if (cause == null) {
            try {
                long start = System.nanoTime();
                store.commit();
                commits.incrementAndGet();
                committed(uncommittedWrites, uncommittedBytes, System.nanoTime() - start);
            } catch (RuntimeException | Error e) {
                fail(what + " commit failed", e);
                cause = e;
            }
        }
        if (cause != null) {
            try {
                store.rollback();
            } catch (RuntimeException e) {
                LOG.warn("{} rollback failed: {}", what, store.directory, e);
            }
            StorageException error = new StorageException(what + " commit failed; nothing of this batch is durable",
                    cause);
            affected.forEach(op -> op.fail(error));
        }
        dirty = false;
        uncommittedBytes = 0;
        uncommittedWrites = 0;
        dirtyKeys.clear();
        untrackedWrite = false;
        lastCommitNanos = System.nanoTime();
    }

    private void committed(int writes, long bytes, long nanos) {
        try {
            hooks.committed(writes, bytes, nanos);
        } catch (RuntimeException e) {
            LOG.warn("{}: commit hook failed", what, e);
        }
    }

    private void fail(String message, Throwable cause) {
        if (failure == null) {
            failure = cause;
            LOG.error("{}: the {} in {} stops accepting work until restarted", message, what, store.directory, cause);
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
        storeLock.lock();
        try {
            storeClosed = true;
            store.close();
            LOG.info("closed {} {}", what, store.directory);
        } catch (RuntimeException e) {
            LOG.warn("closing the {} failed: {}", what, store.directory, e);
        } finally {
            storeLock.unlock();
            terminated.complete(null);
        }
    }
}
