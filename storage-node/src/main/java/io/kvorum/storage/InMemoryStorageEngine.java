package io.kvorum.storage;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
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
    private final SerialExecutor thread;
    private volatile long keyCount;

    public InMemoryStorageEngine() {
        String name = "kvorum-memory-engine-" + INSTANCES.incrementAndGet();
        this.thread = new SerialExecutor(name, "storage engine", () -> { });
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
        thread.close();
    }

    private <T> CompletableFuture<T> submit(Supplier<T> operation) {
        return thread.submit(operation);
    }
}
