package io.kvorum.node.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvorum.ring.Clock;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.Durability;
import io.kvorum.storage.InMemoryStorageEngine;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.MapDbStorageEngine;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageEngine;
import io.kvorum.storage.StorageKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The replica's merge over both engines: what it stores, and the {@code kvorum_lww_discarded}
 * count of LWW writes dropped because the replica already held a later one.
 */
class LocalReplicaTest {
    private static final StorageKey KEY = new StorageKey(3, "b", "k".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private StorageEngine engine(String kind) {
        return kind.equals("mapdb") ? MapDbStorageEngine.open(dir, Durability.SYNC, 10) : new InMemoryStorageEngine();
    }

    private static KeyRecord lww(String text, long millis) {
        return LwwRecord.of(Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain",
                new HlcTimestamp(millis, 0, "n2")));
    }

    private static KeyRecord merge(LocalReplica replica, KeyRecord incoming) throws Exception {
        return replica.merge(KEY, incoming).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mapdb", "memory"})
    void onlyAnOlderLwwWriteCountsAsDiscarded(String kind) throws Exception {
        StorageEngine engine = engine(kind);
        try {
            LocalReplica replica = new LocalReplica("n1", engine, new HlcGenerator(Clock.system(), "n1"));
            KeyRecord first = lww("first", 5);
            KeyRecord newer = lww("newer", 9);

            assertEquals(first, merge(replica, first));
            assertEquals(newer, merge(replica, newer));
            assertEquals(newer, merge(replica, newer), "the same write again (a repair, a hint) is not discarded");
            assertEquals(0, replica.lwwDiscarded());

            assertEquals(newer, merge(replica, lww("older", 7)));
            assertEquals(1, replica.lwwDiscarded());
            assertEquals(Optional.of(newer), engine.read(KEY).get(30, TimeUnit.SECONDS));
        } finally {
            engine.close();
        }
    }
}
