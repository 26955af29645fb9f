package io.kvorum.storage;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reference {@link StorageEngine}: a sorted map in memory, owned by one engine thread that
 * runs every operation in submission order. Records are kept encoded ({@link RecordCodec}), as
 * on disk, so that both engines accept and return exactly the same records. Nothing survives
 * {@link #close()}.
 */
public final class InMemoryStorageEngine implements StorageEngine {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final TreeMap<byte[], byte[]> records = new TreeMap<>(Arrays::compareUnsigned);
    private final Map<String, byte[]> meta = new HashMap<>();
    private final ExecutorService thread;
    private final Object submitLock = new Object();
    private volatile Thread engineThread;
    private volatile long keyCount;
    private boolean closed; // guarded by submitLock

    public InMemoryStorageEngine() {
        String name = "kvorum-memory-engine-" + INSTANCES.incrementAndGet();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            engineThread = t;
            return t;
        });
    }

    @Override
    public CompletableFuture<Optional<KeyRecord>> read(StorageKey key) {
        byte[] encoded = key.encode();
        return submit(() -> Optional.ofNullable(records.get(encoded)).map(RecordCodec::decode));
    }

    @Override
    public CompletableFuture<KeyRecord> update(StorageKey key, Function<Optional<KeyRecord>, KeyRecord> fn) {
        Objects.requireNonNull(fn, "fn");
        byte[] encoded = key.encode();
        return submit(() -> {
            KeyRecord next = fn.apply(Optional.ofNullable(records.get(encoded)).map(RecordCodec::decode));
            Objects.requireNonNull(next, "the update function returned null");
            records.put(encoded, RecordCodec.encode(next));
            keyCount = records.size();
            return next;
        });
    }

    @Override
    public CompletableFuture<Map<String, byte[]>> readMeta() {
        return submit(() -> {
            Map<String, byte[]> copy = new HashMap<>();
            meta.forEach((k, v) -> copy.put(k, v.clone()));
            return Collections.unmodifiableMap(copy);
        });
    }

    @Override
    public CompletableFuture<Void> writeMeta(String name, byte[] value) {
        Objects.requireNonNull(name, "name");
        byte[] copy = value.clone();
        return submit(() -> {
            meta.put(name, copy);
            return null;
        });
    }

    @Override
    public long approximateKeyCount() {
        return keyCount;
    }

    @Override
    public void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            thread.shutdown();
        }
        if (Thread.currentThread() == engineThread) {
            return; // called from a continuation on the engine thread: it finishes the queue by itself
        }
        try {
            while (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                // keep waiting: the queue is finite and every task is short
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> CompletableFuture<T> submit(Supplier<T> operation) {
        CompletableFuture<T> future = new CompletableFuture<>();
        synchronized (submitLock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("storage engine is closed"));
            }
            try {
                thread.execute(() -> {
                    T result;
                    try {
                        result = operation.get();
                    } catch (Throwable t) {
                        future.completeExceptionally(t);
                        return;
                    }
                    future.complete(result);
                });
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(new IllegalStateException("storage engine is closed", e));
            }
        }
        return future;
    }
}
