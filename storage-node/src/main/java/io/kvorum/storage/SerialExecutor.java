package io.kvorum.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One daemon thread that runs operations in submission order and completes their futures on that
 * thread; the owner of the in-memory reference stores. After {@link #close()} every submission
 * fails with IllegalStateException.
 */
final class SerialExecutor {
    private final String what;
    private final Runnable afterEach;
    private final ExecutorService thread;
    private final Object submitLock = new Object();
    private volatile Thread owner;
    private boolean closed; // guarded by submitLock

    /**
     * @param what how errors name the store ("storage engine", "hint store")
     * @param afterEach runs on the thread after every operation, before its future completes
     */
    SerialExecutor(String threadName, String what, Runnable afterEach) {
        this.what = what;
        this.afterEach = afterEach;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            owner = t;
            return t;
        });
    }

    <T> CompletableFuture<T> submit(Supplier<T> operation) {
        CompletableFuture<T> future = new CompletableFuture<>();
        synchronized (submitLock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException(what + " is closed"));
            }
            try {
                thread.execute(() -> {
                    T result;
                    try {
                        result = operation.get();
                    } catch (Throwable t) {
                        afterEach.run();
                        future.completeExceptionally(t);
                        return;
                    }
                    afterEach.run();
                    future.complete(result);
                });
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(new IllegalStateException(what + " is closed", e));
            }
        }
        return future;
    }

    /** Runs what was submitted before, then stops. Called from the thread itself, it returns at once. */
    void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            thread.shutdown();
        }
        if (Thread.currentThread() == owner) {
            return; // called from a continuation on the thread: it finishes the queue by itself
        }
        try {
            while (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                // keep waiting: the queue is finite and every task is short
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
