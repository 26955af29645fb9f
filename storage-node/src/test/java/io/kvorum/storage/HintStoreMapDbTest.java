package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HintStoreMapDbTest extends HintStoreContract {
    @TempDir
    Path directory;

    @Override
    protected HintStore newStore(long maxHints) {
        return MapDbHintStore.open(directory.resolve("node"), maxHints, EXPIRE_STEP);
    }

    @Override
    protected CompletableFuture<Void> runOnStoreThread(Runnable action) {
        return ((MapDbHintStore) store).runOnStoreThread(action);
    }

    private HintStore reopen(long maxHints) {
        store.close();
        store = MapDbHintStore.open(directory.resolve("node"), maxHints, EXPIRE_STEP);
        return store;
    }

    @Test
    void reopeningKeepsHintsTimesAndCounts() throws Exception {
        await(store.put("c", key("a"), causal("x", "n1"), 1_000));
        await(store.put("c", key("a"), causal("y", "n2"), 2_000));
        await(store.put("c", key("b"), lww("z", 5), 3_000));
        await(store.put("d", key("a"), lww("w", 6), 4_000));
        await(store.remove(new Hint("c", key("b"), lww("z", 5), 3_000)));
        List<Hint> before = await(store.pending("c", 10));

        reopen(LIMIT);

        assertEquals(before, await(store.pending("c", 10)));
        assertEquals(1_000, before.get(0).createdAtMillis());
        assertEquals(2, before.get(0).record().siblings().size());
        assertEquals(List.of(new Hint("d", key("a"), lww("w", 6), 4_000)), await(store.pending("d", 10)));
        assertEquals(Map.of("c", 1L, "d", 1L), store.pendingCounts());
        assertEquals(HintStats.ZERO, store.stats(), "stats count since open");
    }

    @Test
    void theLimitAppliesToHintsFromBeforeTheRestart() throws Exception {
        await(store.put("c", key("a"), lww("x", 1), 1));
        await(store.put("c", key("b"), lww("x", 1), 1));

        reopen(2);

        assertTrue(failureOf(store.put("c", key("c"), lww("x", 1), 1)) instanceof HintStoreFullException);
        await(store.put("c", key("a"), lww("y", 2), 2));
    }

    @Test
    void hintsLiveInTheirOwnFilesBesideTheRecordStore() throws Exception {
        Path node = directory.resolve("node");
        try (MapDbStorageEngine engine = MapDbStorageEngine.open(node, Durability.SYNC, 10)) {
            await(engine.update(key("a"), c -> lww("record", 1)));
            await(store.put("c", key("a"), lww("hint", 2), 1));

            assertEquals(Optional.of(lww("record", 1)), await(engine.read(key("a"))));
            assertEquals(1, engine.approximateKeyCount());
        }
        for (String file : List.of("kvorum-hints.db", "kvorum-hints.journal", "kvorum-hints.lock",
                MapDbStore.STORE_FILE, MapDbStore.JOURNAL_FILE, MapDbStore.LOCK_FILE)) {
            assertTrue(Files.exists(node.resolve(file)), file);
        }
        reopen(LIMIT);
        assertEquals(lww("hint", 2), await(store.pending("c", 1)).get(0).record());
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MapDbHintStore.open(directory.resolve("node"), LIMIT));
        assertTrue(e.getMessage().contains("kvorum-hints"), e.getMessage());
    }

    @Test
    void queuedHintsShareOneCommit() throws Exception {
        MapDbHintStore mapDb = (MapDbHintStore) store;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> blocker = runOnStoreThread(() -> {
            holding.countDown();
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS); // holds the writer while hints queue up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(holding.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        long before = mapDb.commitCount();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            puts.add(store.put("c", key("k" + i), lww("v", i), i));
        }
        release.countDown();
        await(blocker);
        for (CompletableFuture<Void> put : puts) {
            await(put);
        }

        assertEquals(before + 1, mapDb.commitCount());
        assertEquals(Map.of("c", 300L), store.pendingCounts());
    }

    @Test
    void operationsThatChangeNothingDoNotCommit() throws Exception {
        MapDbHintStore mapDb = (MapDbHintStore) store;
        await(store.put("c", key("k"), lww("v", 2), 1));
        long before = mapDb.commitCount();

        await(store.put("c", key("k"), lww("older", 1), 2)); // subsumed
        await(store.pending("c", 10));
        await(store.remove(new Hint("c", key("k"), lww("other", 1), 1)));
        await(store.expire(0));

        assertEquals(before, mapDb.commitCount());
        assertTrue(mapDb.isHealthy());
    }
}
