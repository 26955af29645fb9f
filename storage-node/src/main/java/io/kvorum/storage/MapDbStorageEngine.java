package io.kvorum.storage;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's real store: one transactional MapDB store per node ({@link MapDbStore}) holding a
 * B-tree of {@link StorageKey#encode()} → {@link RecordCodec#encode} and a metadata map.
 *
 * <p><b>Group commit.</b> One dedicated writer thread ({@link GroupCommitWriter}) owns the store. It drains the queue of
 * pending operations (reads and writes alike) in submission order, applies them, commits once if
 * any of them wrote, and only then completes the futures of the whole batch, reads included, so a
 * caller never sees a write that is not yet durable. A commit syncs the redo journal and the store
 * file ({@link JournaledVolume}); however many writes were queued, they share those syncs. A
 * batch is cut after {@value GroupCommitWriter#MAX_BATCH} operations or {@value GroupCommitWriter#MAX_BATCH_BYTES} bytes of written
 * data, which bounds the memory a commit holds.
 *
 * <p><b>Reads on the caller's thread.</b> A {@link #read} runs at once on the calling thread, its
 * future already complete, when the store is free at that moment (the writer idle, or its commit
 * waiting for the journal's sync: the writer holds the store's lock only while it applies an
 * operation or prepares a commit) and no write to that key waits for its commit; otherwise it
 * queues as above. Such a read never blocks, and saves two thread hand-offs.
 *
 * <p><b>Key cache.</b> Reads and writes reach a key's record through a {@link ValueLocator}: for
 * keys used recently (up to {@code keyCacheBytes} of heap) it remembers where the record is, so
 * that they do not walk MapDB's B-tree from its root; a write of such a key rewrites its record
 * in place, as MapDB's own {@code put} of an existing key does.
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
    private static final Logger LOG = LoggerFactory.getLogger(MapDbStorageEngine.class);
    /** Heap bytes for remembering where recently used keys' records are (the key cache, {@link ValueLocator}). */
    public static final long DEFAULT_KEY_CACHE_BYTES = 16L << 20;

    private final MapDbStore store;
    private final Durability durability;
    private final GroupCommitWriter writer;
    private final ValueLocator values; // used under the writer's store lock only, as every access to the store
    private volatile long keyCount;
    private volatile CommitListener commitListener = (writes, bytes, nanos) -> { };

    private MapDbStorageEngine(MapDbStore store, Durability durability, long periodicSyncMillis, long keyCacheBytes) {
        this.store = store;
        this.durability = durability;
        this.keyCount = store.records.sizeLong();
        this.values = new ValueLocator(store.records, keyCacheBytes);
        this.writer = new GroupCommitWriter(store, "storage",
                "kvorum-storage-writer[" + store.directory.getFileName() + "]", durability,
                TimeUnit.MILLISECONDS.toNanos(periodicSyncMillis), new GroupCommitWriter.Hooks() {
                    @Override
                    public void afterBatch(boolean wrote) {
                        if (wrote) {
                            keyCount = store.records.sizeLong();
                        }
                    }

                    @Override
                    public void committed(int writes, long bytes, long nanos) {
                        commitListener.committed(writes, bytes, nanos);
                    }
                });
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
        return open(directory, durability, periodicSyncMillis, JournaledVolume.DEFAULT_CHECKPOINT_BYTES);
    }

    /**
     * As {@link #open(Path, Durability, long)}; {@code checkpointBytes} is how much the journal
     * holds before its committed pages are written into the store file and synced (0: at every
     * commit, which costs a second sync per commit). See docs/storage-durability.md.
     */
    public static MapDbStorageEngine open(Path directory, Durability durability, long periodicSyncMillis,
                                          long checkpointBytes) {
        return open(directory, durability, periodicSyncMillis, checkpointBytes, StoreIo.MMAP);
    }

    /**
     * As {@link #open(Path, Durability, long, long)}, with the store file accessed as {@code io}
     * says (memory-mapped by default; the crash safety is the same either way).
     */
    public static MapDbStorageEngine open(Path directory, Durability durability, long periodicSyncMillis,
                                          long checkpointBytes, StoreIo io) {
        return open(directory, durability, periodicSyncMillis, checkpointBytes, io, DEFAULT_KEY_CACHE_BYTES);
    }

    /**
     * As {@link #open(Path, Durability, long, long, StoreIo)}, remembering where recently used keys'
     * records are in up to {@code keyCacheBytes} of heap (0: never; every access walks the B-tree).
     */
    public static MapDbStorageEngine open(Path directory, Durability durability, long periodicSyncMillis,
                                          long checkpointBytes, StoreIo io, long keyCacheBytes) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(io, "io");
        if (durability == Durability.PERIODIC && periodicSyncMillis < 1) {
            throw new IllegalArgumentException("periodicSyncMillis must be >= 1 with PERIODIC durability: "
                    + periodicSyncMillis);
        }
        if (keyCacheBytes < 0) {
            throw new IllegalArgumentException("keyCacheBytes must be >= 0: " + keyCacheBytes);
        }
        MapDbStore store = MapDbStore.open(directory, MapDbStore.FILE_PREFIX, checkpointBytes, io);
        MapDbStorageEngine engine;
        try {
            engine = new MapDbStorageEngine(store, durability, Math.max(1, periodicSyncMillis), keyCacheBytes);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
        engine.writer.start();
        LOG.info("opened storage {} ({} keys, durability {}, store file io {})", store.directory, engine.keyCount,
                durability, io);
        return engine;
    }

    @Override
    public CompletableFuture<Optional<KeyRecord>> read(StorageKey key) {
        byte[] encoded = key.encode();
        Supplier<Optional<KeyRecord>> read = () -> readRecord(encoded);
        CompletableFuture<Optional<KeyRecord>> here = writer.tryRead(encoded, read);
        return here != null ? here : writer.submitRead(encoded, read);
    }

    /** Record reads and writes that found where their key's record is in the key cache, so far. */
    public long keyCacheHits() {
        return values.hits();
    }

    /** Record reads and writes that walked the B-tree to find their key (absent keys included), so far. */
    public long keyCacheMisses() {
        return values.misses();
    }

    /** Reads served on their caller's thread, without a trip through the writer's queue, so far. */
    public long inlineReads() {
        return writer.inlineReads();
    }

    @Override
    public CompletableFuture<KeyRecord> update(StorageKey key, Function<Optional<KeyRecord>, KeyRecord> fn) {
        Objects.requireNonNull(fn, "fn");
        byte[] encoded = key.encode();
        return writer.submitWrite(encoded, () -> {
            KeyRecord next = fn.apply(readRecord(encoded));
            Thread.interrupted(); // an interrupt would close MapDB's file channel; the writer ignores them
            Objects.requireNonNull(next, "the update function returned null");
            byte[] bytes = RecordCodec.encode(next);
            writer.access(() -> {
                values.putOnly(encoded, bytes); // the previous value was just read
                return null;
            });
            writer.wrote(encoded.length + bytes.length, encoded);
            return next;
        });
    }

    /**
     * Writes first and merges after: a replica write is nearly always newer than what the replica
     * holds, and MapDB's {@code put} reads the previous value anyway (to return it), so this saves
     * the B-tree lookup and value read that {@link #update} makes before writing. When the merge
     * differs from {@code incoming} (an older or concurrent write arrived) it is written over it,
     * in the same batch, so only the merge is ever committed. A previous record that does not
     * decode, or that cannot merge with {@code incoming}, is put back and fails the operation, as
     * {@link #update} would.
     */
    @Override
    public CompletableFuture<Merged> merge(StorageKey key, KeyRecord incoming) {
        Objects.requireNonNull(incoming, "incoming");
        byte[] encoded = key.encode();
        byte[] incomingBytes = RecordCodec.encode(incoming);
        return writer.submitWrite(encoded, () -> {
            byte[] old = writer.access(() -> values.put(encoded, incomingBytes));
            long bytes = encoded.length + incomingBytes.length;
            if (old == null) {
                writer.wrote(bytes, encoded);
                return new Merged(Optional.empty(), incoming);
            }
            KeyRecord previous;
            KeyRecord merged;
            try {
                previous = RecordCodec.decode(old);
                merged = previous.merge(incoming);
            } catch (RuntimeException e) {
                writer.access(() -> values.put(encoded, old)); // as it was: this batch commits the same bytes
                writer.wrote(bytes, encoded);
                throw e;
            }
            if (!merged.equals(incoming)) {
                byte[] mergedBytes = RecordCodec.encode(merged);
                writer.access(() -> values.put(encoded, mergedBytes));
                bytes += mergedBytes.length;
            }
            writer.wrote(bytes, encoded);
            return new Merged(Optional.of(previous), merged);
        });
    }

    @Override
    public CompletableFuture<Map<String, byte[]>> readMeta() {
        return writer.submit(() -> {
            Map<String, byte[]> copy = new HashMap<>();
            writer.access(() -> {
                store.meta.forEach((k, v) -> copy.put(k, v.clone()));
                return null;
            });
            return Collections.unmodifiableMap(copy);
        });
    }

    @Override
    public CompletableFuture<Void> writeMeta(String name, byte[] value) {
        Objects.requireNonNull(name, "name");
        byte[] copy = value.clone();
        return writer.submit(() -> {
            mutate(() -> store.meta.put(name, copy), name.length() + copy.length);
            return null;
        });
    }

    @Override
    public boolean holdSubmissions() {
        return writer.hold();
    }

    @Override
    public void releaseHeld() {
        writer.release();
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

    /** How many times the writer has committed (and synced) the store since it was opened. */
    public long commitCount() {
        return writer.commitCount();
    }

    /** False once a store access or commit has failed; the engine then refuses all work. */
    public boolean isHealthy() {
        return writer.isHealthy();
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
        writer.close();
    }

    /** The stored record; a record that does not decode fails this read only. */
    private Optional<KeyRecord> readRecord(byte[] encodedKey) {
        byte[] stored = writer.access(() -> values.get(encodedKey));
        return stored == null ? Optional.empty() : Optional.of(RecordCodec.decode(stored));
    }

    /** A change to the store. */
    private void mutate(Runnable change, long bytes) {
        writer.access(() -> {
            change.run();
            return null;
        });
        writer.wrote(bytes);
    }
}
