package io.kvorum.storage;

import io.kvorum.storage.paxos.PaxosCodec;
import io.kvorum.storage.paxos.PaxosState;
import io.kvorum.storage.paxos.PaxosStore;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The reference {@link PaxosStore}: states in memory, kept encoded as on disk, owned by one thread
 * that runs operations in submission order. Nothing survives {@link #close()}.
 */
public final class InMemoryPaxosStore implements PaxosStore {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final TreeMap<byte[], byte[]> states = new TreeMap<>(Arrays::compareUnsigned);
    private final SerialExecutor thread =
            new SerialExecutor("kvorum-memory-paxos-" + INSTANCES.incrementAndGet(), "paxos store", () -> { });

    @Override
    public CompletableFuture<PaxosState> read(StorageKey key) {
        byte[] encoded = key.encode();
        return thread.submit(() -> current(encoded));
    }

    @Override
    public <T extends Transition> CompletableFuture<T> apply(StorageKey key, Function<PaxosState, T> step) {
        Objects.requireNonNull(step, "step");
        byte[] encoded = key.encode();
        return thread.submit(() -> {
            PaxosState before = current(encoded);
            T result = Objects.requireNonNull(step.apply(before), "the transition returned null");
            PaxosState next = Objects.requireNonNull(result.next(), "the transition's next state is null");
            if (!next.equals(before)) {
                states.put(encoded, PaxosCodec.encodeState(next));
            }
            return result;
        });
    }

    private PaxosState current(byte[] encoded) {
        byte[] stored = states.get(encoded);
        return stored == null ? PaxosState.EMPTY : PaxosCodec.decodeState(stored);
    }

    /** For tests: runs {@code action} on the store's thread, in turn with the other operations. */
    CompletableFuture<Void> runOnStoreThread(Runnable action) {
        return thread.submit(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public void close() {
        thread.close();
    }
}
