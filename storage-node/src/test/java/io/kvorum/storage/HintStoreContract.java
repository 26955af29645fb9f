package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link HintStore} must have. Subclasses provide the store; waiting is always
 * on the futures, with a generous bound so that a broken store fails instead of hanging.
 */
abstract class HintStoreContract {
    static final long TIMEOUT_SECONDS = 30;
    static final long LIMIT = 1_000;
    /** Hints visited per expiry step in the stores under test: small, so expiry takes several steps. */
    static final int EXPIRE_STEP = 3;

    protected HintStore store;

    /** A fresh, empty store holding at most {@code maxHints} hints, expiring {@link #EXPIRE_STEP} per step. */
    protected abstract HintStore newStore(long maxHints) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore(LIMIT);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Runs {@code action} on the store's own thread, in turn with its operations (to hold that thread). */
    protected abstract CompletableFuture<Void> runOnStoreThread(Runnable action);

    /** Replaces the store under test by a fresh one with another limit. */
    protected void replaceStore(long maxHints) throws Exception {
        store.close();
        store = newStore(maxHints);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the hint store did not complete the operation", e);
        }
    }

    static Throwable failureOf(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return e.getCause();
    }

    static StorageKey key(String key) {
        return new StorageKey(7, "bucket", key.getBytes(StandardCharsets.UTF_8));
    }

    static KeyRecord lww(String text, long millis) {
        return LwwRecord.of(Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain",
                new HlcTimestamp(millis, 0, "n1")));
    }

    /** A blind causal write by {@code node}: concurrent with any other node's. */
    static KeyRecord causal(String text, String node) {
        return RecordWrites.causalWrite(Optional.empty(), VersionVector.empty(),
                Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(1, 0, node)), node, 1000);
    }

    private Hint only(String target) throws Exception {
        List<Hint> hints = await(store.pending(target, 100));
        assertEquals(1, hints.size(), hints.toString());
        return hints.get(0);
    }

    // ---- put and pending ----

    @Test
    void aStoredHintIsPendingForItsTarget() throws Exception {
        KeyRecord record = lww("x", 1);
        await(store.put("node-c", key("k"), record, 1_000));

        assertEquals(List.of(new Hint("node-c", key("k"), record, 1_000)), await(store.pending("node-c", 10)));
    }

    @Test
    void aFreshStoreHasNothingPending() throws Exception {
        assertEquals(List.of(), await(store.pending("node-c", 10)));
        assertEquals(Map.of(), store.pendingCounts());
        assertEquals(HintStats.ZERO, store.stats());
        assertEquals(LIMIT, store.maxHints());
    }

    @Test
    void concurrentCausalWritesCoalesceIntoSiblings() throws Exception {
        await(store.put("c", key("k"), causal("from-a", "a"), 1_000));
        await(store.put("c", key("k"), causal("from-b", "b"), 2_000));

        Hint hint = only("c");
        assertEquals(causal("from-a", "a").merge(causal("from-b", "b")), hint.record());
        assertEquals(2, hint.record().siblings().size());
        assertEquals(1_000, hint.createdAtMillis(), "the window counts from the first missed write");
        assertEquals(Map.of("c", 1L), store.pendingCounts());
        assertEquals(new HintStats(1, 1, 0, 0, 0), store.stats());
    }

    @Test
    void aNewerLwwWriteReplacesTheHintedValueButKeepsTheFirstTime() throws Exception {
        await(store.put("c", key("k"), lww("old", 10), 1_000));
        await(store.put("c", key("k"), lww("new", 20), 5_000));
        await(store.put("c", key("k"), lww("stale", 15), 6_000));

        Hint hint = only("c");
        assertEquals(lww("new", 20), hint.record());
        assertEquals(1_000, hint.createdAtMillis());
    }

    @Test
    void coalescingKeepsTheEarliestTimeEvenIfTheClockWentBack() throws Exception {
        await(store.put("c", key("k"), lww("a", 1), 5_000));
        await(store.put("c", key("k"), lww("b", 2), 4_000));

        assertEquals(4_000, only("c").createdAtMillis());
    }

    @Test
    void pendingIsInKeyOrderAndHonoursTheLimit() throws Exception {
        List<StorageKey> keys = List.of(
                new StorageKey(0, "b", new byte[] {(byte) 0xFF}),
                new StorageKey(0, "b", new byte[] {1}),
                new StorageKey(0, "a", new byte[] {(byte) 0x80}),
                new StorageKey(300, "a", new byte[] {0}),
                new StorageKey(2, "z", new byte[0]));
        for (StorageKey k : keys) {
            await(store.put("c", k, lww(k.toString(), 1), 1));
        }
        List<StorageKey> sorted = keys.stream().sorted().toList();

        assertEquals(sorted, await(store.pending("c", 100)).stream().map(Hint::key).toList());
        assertEquals(sorted.subList(0, 2), await(store.pending("c", 2)).stream().map(Hint::key).toList());
    }

    @Test
    void pendingAfterAKeyPagesThroughATargetsHints() throws Exception {
        for (int i = 0; i < 7; i++) {
            await(store.put("c", key("k" + i), lww("v" + i, i), i));
            await(store.put("d", key("k" + i), lww("v" + i, i), i));
        }
        List<StorageKey> seen = new ArrayList<>();
        List<Hint> page = await(store.pending("c", 3));
        while (!page.isEmpty()) {
            page.forEach(h -> seen.add(h.key()));
            assertTrue(page.stream().allMatch(h -> h.target().equals("c")));
            page = await(store.pending("c", page.get(page.size() - 1).key(), 3));
        }
        assertEquals(List.of(key("k0"), key("k1"), key("k2"), key("k3"), key("k4"), key("k5"), key("k6")), seen);
        assertEquals(List.of(key("k4")), await(store.pending("c", key("k3"), 1)).stream().map(Hint::key).toList());
        assertEquals(List.of(key("k0")), await(store.pending("c", key("a"), 1)).stream().map(Hint::key).toList(),
                "after need not be a stored key");
    }

    @Test
    void eachTargetSeesOnlyItsOwnHints() throws Exception {
        // targets that are prefixes of each other, and one beyond ASCII
        List<String> targets = List.of("a", "ab", "b", "a\u00e9", "\u4e2d");
        for (String target : targets) {
            for (int i = 0; i < 3; i++) {
                await(store.put(target, key("k" + i), lww(target + i, i), i));
            }
        }
        await(store.put("ab", key("zz"), lww("x", 1), 1)); // sorts last

        for (String target : targets) {
            List<Hint> hints = await(store.pending(target, 100));
            assertTrue(hints.stream().allMatch(h -> h.target().equals(target)), target + ": " + hints);
            assertEquals(target.equals("ab") ? 4 : 3, hints.size(), target);
            assertEquals(lww(target + "0", 0), hints.get(0).record());
        }
        assertEquals(List.of(), await(store.pending("abc", 100)));
        assertEquals(Map.of("a", 3L, "ab", 4L, "b", 3L, "a\u00e9", 3L, "\u4e2d", 3L), store.pendingCounts());
    }

    // ---- remove ----

    @Test
    void removingADeliveredHintDeletesIt() throws Exception {
        await(store.put("c", key("k"), lww("x", 1), 1_000));
        await(store.put("c", key("other"), lww("y", 1), 1_000));
        Hint delivered = await(store.pending("c", 1)).get(0);

        assertTrue(await(store.remove(delivered)));

        assertEquals(1, await(store.pending("c", 10)).size());
        assertEquals(Map.of("c", 1L), store.pendingCounts());
        assertEquals(1, store.stats().delivered());
        assertFalse(await(store.remove(delivered)), "already gone");
        assertEquals(1, store.stats().delivered());
    }

    @Test
    void removeKeepsAHintThatANewerWriteCoalescedIntoMeanwhile() throws Exception {
        await(store.put("c", key("k"), causal("first", "a"), 1_000));
        Hint delivered = only("c");
        await(store.put("c", key("k"), causal("second", "b"), 2_000)); // while the first was being delivered

        assertFalse(await(store.remove(delivered)));

        Hint kept = only("c");
        assertEquals(delivered.record().merge(causal("second", "b")), kept.record());
        assertEquals(Map.of("c", 1L), store.pendingCounts());
        assertEquals(0, store.stats().delivered());
        // delivering what is stored now removes it
        assertTrue(await(store.remove(kept)));
        assertEquals(Map.of(), store.pendingCounts());
    }

    @Test
    void removeIgnoresTheCreationTimeOfTheDeliveredHint() throws Exception {
        KeyRecord record = lww("x", 1);
        await(store.put("c", key("k"), record, 1_000));

        assertTrue(await(store.remove(new Hint("c", key("k"), record, 42))));
    }

    @Test
    void removeOfAHintForAnotherTargetOrKeyDeletesNothing() throws Exception {
        KeyRecord record = lww("x", 1);
        await(store.put("c", key("k"), record, 1_000));

        assertFalse(await(store.remove(new Hint("d", key("k"), record, 1_000))));
        assertFalse(await(store.remove(new Hint("c", key("j"), record, 1_000))));
        assertEquals(Map.of("c", 1L), store.pendingCounts());
    }

    // ---- expire ----

    @Test
    void expireDropsHintsCreatedBeforeTheCutoffForEveryTarget() throws Exception {
        for (int i = 0; i < 10; i++) {
            await(store.put(i % 2 == 0 ? "c" : "d", key("k" + i), lww("v", i), 1_000 + i * 100L));
        }

        int dropped = await(store.expire(1_500)); // 1000..1400 go, 1500 (at the cutoff) stays

        assertEquals(5, dropped);
        assertEquals(List.of(key("k6"), key("k8")), await(store.pending("c", 10)).stream().map(Hint::key).toList());
        assertEquals(List.of(key("k5"), key("k7"), key("k9")),
                await(store.pending("d", 10)).stream().map(Hint::key).toList());
        assertEquals(Map.of("c", 2L, "d", 3L), store.pendingCounts());
        assertEquals(5, store.stats().expired());
        assertEquals(0, store.stats().delivered());
        assertEquals(0, await(store.expire(1_500)));
    }

    @Test
    void aHintRefreshedByLaterWritesStillExpiresFromItsFirstWrite() throws Exception {
        await(store.put("c", key("k"), lww("a", 1), 1_000));
        await(store.put("c", key("k"), lww("b", 2), 9_000));

        assertEquals(1, await(store.expire(5_000)));
        assertEquals(List.of(), await(store.pending("c", 10)));
    }

    @Test
    void expireOfAnEmptyStoreDropsNothing() throws Exception {
        assertEquals(0, await(store.expire(Long.MAX_VALUE)));
    }

    @Test
    void expireCanDropEverything() throws Exception {
        for (int i = 0; i < 2 * EXPIRE_STEP + 1; i++) {
            await(store.put("t" + (i % 3), key("k" + i), lww("v", i), i));
        }
        assertEquals(2 * EXPIRE_STEP + 1, await(store.expire(Long.MAX_VALUE)));
        assertEquals(Map.of(), store.pendingCounts());
    }

    // ---- the size cap ----

    @Test
    void aFullStoreRefusesANewTargetKeyButAcceptsCoalescing() throws Exception {
        replaceStore(3);
        await(store.put("c", key("k1"), lww("1", 1), 1));
        await(store.put("c", key("k2"), lww("2", 1), 1));
        await(store.put("d", key("k1"), lww("1", 1), 1));

        HintStoreFullException full = assertInstanceOf(HintStoreFullException.class,
                failureOf(store.put("d", key("k2"), lww("2", 1), 1)));
        assertEquals(3, full.maxHints());
        assertEquals(3, full.storedHints());
        assertEquals("d", full.target());
        assertTrue(full.getMessage().contains("3"), full.getMessage());
        assertEquals(List.of(key("k1")), await(store.pending("d", 10)).stream().map(Hint::key).toList());

        await(store.put("c", key("k1"), lww("newer", 2), 2)); // coalescing is always accepted
        assertEquals(lww("newer", 2), await(store.pending("c", 1)).get(0).record());
        assertEquals(new HintStats(3, 1, 0, 0, 1), store.stats());
        assertEquals(Map.of("c", 2L, "d", 1L), store.pendingCounts());

        assertTrue(await(store.remove(await(store.pending("c", 1)).get(0))));
        await(store.put("d", key("k2"), lww("2", 1), 3)); // room again
        assertEquals(Map.of("c", 1L, "d", 2L), store.pendingCounts());
    }

    @Test
    void aStoreWithNoRoomRefusesEveryHint() throws Exception {
        replaceStore(0);
        assertInstanceOf(HintStoreFullException.class, failureOf(store.put("c", key("k"), lww("x", 1), 1)));
        assertEquals(1, store.stats().refusedFull());
    }

    // ---- counts, threads, lifecycle ----

    @Test
    void countsFollowEveryChange() throws Exception {
        for (int i = 0; i < 4; i++) {
            await(store.put("c", key("k" + i), lww("v", 1), 100));
        }
        await(store.put("d", key("k0"), lww("v", 1), 200));
        await(store.put("c", key("k0"), lww("w", 2), 300));
        assertEquals(Map.of("c", 4L, "d", 1L), store.pendingCounts());

        await(store.remove(await(store.pending("c", 1)).get(0)));
        assertEquals(Map.of("c", 3L, "d", 1L), store.pendingCounts());

        await(store.expire(150));
        assertEquals(Map.of("d", 1L), store.pendingCounts());
        assertEquals(new HintStats(5, 1, 1, 3, 0), store.stats());
        assertThrows(UnsupportedOperationException.class, () -> store.pendingCounts().put("x", 1L));
    }

    @Test
    void concurrentHintsForOneKeyFromEightThreadsAllCoalesce() throws Exception {
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Void>> puts = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        puts.add(store.put("c", key("hot"), causal("v", "w" + thread + "-" + i), 1_000 + i));
                    }
                    return puts;
                }));
            }
            start.countDown();
            for (Future<List<CompletableFuture<Void>>> f : submitted) {
                for (CompletableFuture<Void> put : f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    await(put);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Hint hint = only("c");
        assertEquals(threads * perThread, hint.record().siblings().size());
        assertEquals(1_000, hint.createdAtMillis());
        assertEquals(Map.of("c", 1L), store.pendingCounts());
        assertEquals(new HintStats(1, threads * perThread - 1, 0, 0, 0), store.stats());
    }

    @Test
    void futuresCompleteOnTheStoreThreadAndItsInterruptsDoNoHarm() throws Exception {
        Thread caller = Thread.currentThread();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> blocker = runOnStoreThread(() -> {
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS); // holds the store thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Thread.currentThread().interrupt(); // an interrupt left on the store's thread
        });
        CompletableFuture<Thread> completedOn = store.put("c", key("k"), lww("x", 1), 1)
                .thenApply(v -> Thread.currentThread());
        assertFalse(completedOn.isDone(), "the put cannot be done while the store's thread is held");
        release.countDown();

        assertNotSame(caller, await(completedOn));
        await(blocker);
        await(store.put("c", key("j"), lww("y", 1), 1));
        assertEquals(2, await(store.pending("c", 10)).size(), "the interrupt did not break the store");
    }

    @Test
    void invalidArgumentsAreRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> store.put("", key("k"), lww("x", 1), 1));
        assertThrows(NullPointerException.class, () -> store.put(null, key("k"), lww("x", 1), 1));
        assertThrows(NullPointerException.class, () -> store.put("c", null, lww("x", 1), 1));
        assertThrows(NullPointerException.class, () -> store.put("c", key("k"), null, 1));
        assertThrows(IllegalArgumentException.class, () -> store.pending("c", 0));
        assertThrows(IllegalArgumentException.class, () -> store.pending("", 1));
        assertThrows(NullPointerException.class, () -> store.remove(null));
        assertThrows(IllegalArgumentException.class, () -> new Hint("", key("k"), lww("x", 1), 1));
    }

    @Test
    void closeCompletesEverythingSubmittedBefore() throws Exception {
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            puts.add(store.put("c", key("k" + (i % 10)), lww("v" + i, i), i));
        }
        CompletableFuture<List<Hint>> pending = store.pending("c", 100);

        store.close();

        for (CompletableFuture<Void> put : puts) {
            assertTrue(put.isDone() && !put.isCompletedExceptionally());
        }
        assertEquals(10, pending.getNow(null).size());
        assertEquals(lww("v99", 99), pending.getNow(null).get(9).record());
    }

    @Test
    void everyOperationFailsAfterClose() {
        store.close();
        store.close(); // idempotent

        Hint hint = new Hint("c", key("k"), lww("x", 1), 1);
        assertInstanceOf(IllegalStateException.class, failureOf(store.put("c", key("k"), lww("x", 1), 1)));
        assertInstanceOf(IllegalStateException.class, failureOf(store.pending("c", 1)));
        assertInstanceOf(IllegalStateException.class, failureOf(store.pending("c", key("a"), 1)));
        assertInstanceOf(IllegalStateException.class, failureOf(store.remove(hint)));
        assertInstanceOf(IllegalStateException.class, failureOf(store.expire(1)));
    }
}
