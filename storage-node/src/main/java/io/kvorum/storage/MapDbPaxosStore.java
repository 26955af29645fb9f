package io.kvorum.storage;

import io.kvorum.storage.paxos.PaxosCodec;
import io.kvorum.storage.paxos.PaxosState;
import io.kvorum.storage.paxos.PaxosStore;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's durable {@link PaxosStore}: its own crash-safe MapDB store ({@link MapDbStore}, files
 * {@value #FILE_PREFIX}{@code .db/.journal/.lock} in the node's data directory, beside the record
 * and hint stores) holding {@link StorageKey#encode()} → {@link PaxosCodec#encodeState}.
 *
 * <p>One writer thread ({@link GroupCommitWriter}) owns it, always with {@link Durability#SYNC}
 * whatever the node's {@code durability}: a promise or an acceptance that a crash could forget
 * breaks Paxos, so a state change completes only once its batch is committed (journal and store
 * file synced); concurrent changes share the sync (group commit).
 */
public final class MapDbPaxosStore implements PaxosStore {
    static final String FILE_PREFIX = "kvorum-paxos";

    private static final Logger LOG = LoggerFactory.getLogger(MapDbPaxosStore.class);

    private final MapDbStore store;
    private final GroupCommitWriter writer;

    private MapDbPaxosStore(MapDbStore store) {
        this.store = store;
        this.writer = new GroupCommitWriter(store, "paxos store",
                "kvorum-paxos-writer[" + store.directory.getFileName() + "]", Durability.SYNC, 1,
                new GroupCommitWriter.Hooks() { });
    }

    /** Opens (creating if needed) the Paxos store in the node's data {@code directory}. */
    public static MapDbPaxosStore open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        MapDbStore store = MapDbStore.open(directory, FILE_PREFIX);
        MapDbPaxosStore paxos;
        try {
            paxos = new MapDbPaxosStore(store);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
        paxos.writer.start();
        LOG.info("opened paxos store {} ({} keys)", store.directory, store.records.sizeLong());
        return paxos;
    }

    @Override
    public CompletableFuture<PaxosState> read(StorageKey key) {
        byte[] encoded = key.encode();
        return writer.submitRead(encoded, () -> current(encoded));
    }

    @Override
    public <T extends Transition> CompletableFuture<T> apply(StorageKey key, Function<PaxosState, T> step) {
        Objects.requireNonNull(step, "step");
        byte[] encoded = key.encode();
        return writer.submit(() -> {
            PaxosState before = current(encoded);
            T result = Objects.requireNonNull(step.apply(before), "the transition returned null");
            PaxosState next = Objects.requireNonNull(result.next(), "the transition's next state is null");
            Thread.interrupted();
            if (!next.equals(before)) {
                byte[] bytes = PaxosCodec.encodeState(next);
                writer.access(() -> store.records.put(encoded, bytes));
                writer.wrote(encoded.length + bytes.length, encoded);
            }
            return result;
        });
    }

    private PaxosState current(byte[] encoded) {
        byte[] stored = writer.access(() -> store.records.get(encoded));
        return stored == null ? PaxosState.EMPTY : PaxosCodec.decodeState(stored);
    }

    /** How many times the writer has committed (and synced) the store since it was opened. */
    public long commitCount() {
        return writer.commitCount();
    }

    /** For tests: runs {@code action} on the store's thread, in turn with the other operations. */
    CompletableFuture<Void> runOnStoreThread(Runnable action) {
        return writer.submit(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return "MapDbPaxosStore[" + store.directory + "]";
    }

    /** False once a store access or commit has failed; the store then refuses all work until restarted. */
    public boolean isHealthy() {
        return writer.isHealthy();
    }
}
