package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.HlcTimestamp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * The behaviour every {@link StorageEngine} must have. Subclasses provide the engine; waiting is
 * always on the futures (with a generous bound so that a broken engine fails instead of hanging).
 */
abstract class StorageEngineContract {
    static final long TIMEOUT_SECONDS = 30;
    static final VersionVector NONE = VersionVector.empty();

    protected StorageEngine engine;

    /** A fresh, empty engine. */
    protected abstract StorageEngine newEngine() throws Exception;

    @BeforeEach
    void openEngine() throws Exception {
        engine = newEngine();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the engine did not complete the operation", e);
        }
    }

    static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return e.getCause();
    }

    static StorageKey key(String key) {
        return new StorageKey(7, "bucket", key.getBytes(StandardCharsets.UTF_8));
    }

    static Sibling value(String text, long millis) {
        return Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(millis, 0, "n1"));
    }

    static KeyRecord counterRecord(long counter) {
        return LwwRecord.of(Sibling.of(ByteBuffer.allocate(8).putLong(counter).array(), "application/x-counter",
                new HlcTimestamp(counter, 0, "n1")));
    }

    static long counterOf(Optional<KeyRecord> record) {
        return record.map(r -> ByteBuffer.wrap(r.siblings().get(0).value()).getLong()).orElse(0L);
    }

    @Test
    void readOfAnAbsentKeyIsEmpty() throws Exception {
        assertEquals(Optional.empty(), await(engine.read(key("nothing"))));
    }

    @Test
    void updateThenReadReturnsTheStoredRecord() throws Exception {
        KeyRecord record = RecordWrites.causalWrite(Optional.empty(), NONE, value("x", 1), "n1", 64);

        KeyRecord stored = await(engine.update(key("k"), current -> record));

        assertEquals(record, stored);
        assertEquals(Optional.of(record), await(engine.read(key("k"))));
    }

    @Test
    void updateFunctionSeesTheCurrentRecord() throws Exception {
        await(engine.update(key("k"), current -> RecordWrites.causalWrite(current, NONE, value("x", 1), "n1", 64)));
        KeyRecord second = await(engine.update(key("k"),
                current -> RecordWrites.causalWrite(current, NONE, value("y", 2), "n1", 64)));

        assertEquals(2, second.siblings().size());
        assertEquals(Optional.of(second), await(engine.read(key("k"))));
    }

    @Test
    void keysDifferingInPartitionBucketOrKeyAreDistinct() throws Exception {
        StorageKey base = new StorageKey(1, "b", new byte[] {1});
        List<StorageKey> others = List.of(new StorageKey(2, "b", new byte[] {1}),
                new StorageKey(1, "c", new byte[] {1}), new StorageKey(1, "b", new byte[] {2}));
        await(engine.update(base, c -> counterRecord(1)));
        for (StorageKey other : others) {
            assertEquals(Optional.empty(), await(engine.read(other)), other.toString());
        }
        assertEquals(1, counterOf(await(engine.read(new StorageKey(1, "b", new byte[] {1})))));
    }

    @Test
    void failingUpdateFunctionFailsTheFutureWithItsExceptionAndWritesNothing() throws Exception {
        await(engine.update(key("k"), c -> counterRecord(1)));
        SiblingLimitException refusal = new SiblingLimitException(1, 2);

        Throwable failure = failureOf(engine.update(key("k"), c -> {
            throw refusal;
        }));

        assertSame(refusal, failure);
        assertEquals(1, counterOf(await(engine.read(key("k")))));
        assertEquals(Optional.empty(), await(engine.read(key("other"))));
        // and the engine keeps working
        await(engine.update(key("k"), c -> counterRecord(2)));
        assertEquals(2, counterOf(await(engine.read(key("k")))));
    }

    @Test
    void failingUpdateOnAnAbsentKeyLeavesItAbsent() throws Exception {
        failureOf(engine.update(key("k"), c -> {
            throw new IllegalStateException("refused");
        }));
        assertEquals(Optional.empty(), await(engine.read(key("k"))));
        assertEquals(0, engine.approximateKeyCount());
    }

    @Test
    void interruptsOnTheEngineThreadDoNotBreakTheEngine() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<KeyRecord> first = engine.update(key("k"), c -> {
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Thread.currentThread().interrupt(); // an update function that interrupts its thread
            return counterRecord(1);
        });
        // a continuation that interrupts the thread completing it (the engine's: it is still busy)
        CompletableFuture<Void> continuation = engine.read(key("k")).thenRun(() -> Thread.currentThread().interrupt());
        release.countDown();
        await(first);
        await(continuation);

        await(engine.update(key("k"), c -> counterRecord(counterOf(c) + 1)));
        assertEquals(2, counterOf(await(engine.read(key("k")))));
        assertTrue(!Thread.currentThread().isInterrupted());
    }

    @Test
    void updateFunctionReturningNullWritesNothing() throws Exception {
        assertInstanceOf(NullPointerException.class, failureOf(engine.update(key("k"), c -> null)));
        assertEquals(Optional.empty(), await(engine.read(key("k"))));
    }

    @Test
    void concurrentUpdatesOfOneKeyFromEightThreadsLoseNone() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<KeyRecord>>>> submitted = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                submitted.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<KeyRecord>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        futures.add(engine.update(key("counter"), current -> counterRecord(counterOf(current) + 1)));
                    }
                    return futures;
                }));
            }
            start.countDown();
            Set<Long> seen = new HashSet<>();
            for (Future<List<CompletableFuture<KeyRecord>>> f : submitted) {
                for (CompletableFuture<KeyRecord> update : f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    seen.add(counterOf(Optional.of(await(update))));
                }
            }
            assertEquals(threads * perThread, seen.size(), "every update saw a different predecessor");
            assertEquals(threads * perThread, counterOf(await(engine.read(key("counter")))));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentBlindCausalWritesAllBecomeSiblings() throws Exception {
        int threads = 8;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<KeyRecord>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<KeyRecord>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Sibling v = value("t" + thread + "-" + i, thread * 1000L + i);
                        futures.add(engine.update(key("siblings"),
                                current -> RecordWrites.causalWrite(current, NONE, v, "n1", 1000)));
                    }
                    return futures;
                }));
            }
            for (Future<List<CompletableFuture<KeyRecord>>> f : submitted) {
                for (CompletableFuture<KeyRecord> update : f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    await(update);
                }
            }
            KeyRecord record = await(engine.read(key("siblings"))).orElseThrow();
            assertEquals(threads * perThread, record.siblings().size());
            assertEquals(threads * perThread, record.context().get("n1"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void operationsTakeEffectInSubmissionOrder() throws Exception {
        CompletableFuture<KeyRecord> write = engine.update(key("k"), c -> counterRecord(5));
        CompletableFuture<Optional<KeyRecord>> read = engine.read(key("k"));
        assertEquals(5, counterOf(await(read)));
        assertTrue(write.isDone());
    }

    @Test
    void whileTheEngineIsBusyFuturesCompleteOnItsThreadNotTheCallers() throws Exception {
        Thread caller = Thread.currentThread();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Thread> fnThread = new CompletableFuture<>();
        CompletableFuture<KeyRecord> blocker = engine.update(key("k"), c -> {
            fnThread.complete(Thread.currentThread());
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return counterRecord(1);
        });
        CompletableFuture<Thread> completedOn = engine.read(key("k")).thenApply(r -> Thread.currentThread());
        assertTrue(!completedOn.isDone(), "the read cannot be complete while the engine is busy");
        release.countDown();

        assertNotSame(caller, await(fnThread));
        assertNotSame(caller, await(completedOn));
        await(blocker);
    }

    @Test
    void metaEntriesAreStoredAndReadBack() throws Exception {
        byte[] value = "{\"n\":3}".getBytes(StandardCharsets.UTF_8);
        await(engine.writeMeta("bucket:users", value));
        value[0] = 'X'; // the engine kept its own copy
        await(engine.writeMeta("ring", new byte[] {1}));
        await(engine.writeMeta("ring", new byte[] {2}));

        Map<String, byte[]> meta = await(engine.readMeta());

        assertEquals(Set.of("bucket:users", "ring"), meta.keySet());
        assertArrayEquals("{\"n\":3}".getBytes(StandardCharsets.UTF_8), meta.get("bucket:users"));
        assertArrayEquals(new byte[] {2}, meta.get("ring"));
        assertThrows(UnsupportedOperationException.class, () -> meta.put("x", new byte[0]));
        meta.get("ring")[0] = 9;
        assertArrayEquals(new byte[] {2}, await(engine.readMeta()).get("ring"));
    }

    @Test
    void metaIsEmptyOnAFreshEngine() throws Exception {
        assertEquals(Map.of(), await(engine.readMeta()));
    }

    @Test
    void approximateKeyCountCountsDistinctKeys() throws Exception {
        for (int i = 0; i < 5; i++) {
            int n = i;
            await(engine.update(key("k" + i), c -> counterRecord(n)));
        }
        await(engine.update(key("k0"), c -> counterRecord(9)));
        assertEquals(5, engine.approximateKeyCount());
    }

    @Test
    void closeCompletesEverythingSubmittedBefore() throws Exception {
        List<CompletableFuture<KeyRecord>> updates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            updates.add(engine.update(key("k" + (i % 10)), c -> counterRecord(n)));
        }
        CompletableFuture<Optional<KeyRecord>> read = engine.read(key("k9"));

        engine.close();

        for (CompletableFuture<KeyRecord> update : updates) {
            assertTrue(update.isDone() && !update.isCompletedExceptionally());
        }
        assertEquals(199, counterOf(read.getNow(null)));
    }

    @Test
    void everyOperationFailsAfterClose() throws Exception {
        engine.close();
        engine.close(); // idempotent

        assertInstanceOf(IllegalStateException.class, failureOf(engine.read(key("k"))));
        assertInstanceOf(IllegalStateException.class, failureOf(engine.update(key("k"), c -> counterRecord(1))));
        assertInstanceOf(IllegalStateException.class, failureOf(engine.readMeta()));
        assertInstanceOf(IllegalStateException.class, failureOf(engine.writeMeta("x", new byte[0])));
    }

    // ---- merge: update with KeyRecord.merge, reporting what was there ----

    @Test
    void aMergeIntoNothingStoresTheIncomingRecord() throws Exception {
        KeyRecord incoming = LwwRecord.of(value("first", 5));
        StorageEngine.Merged merged = await(engine.merge(key("m"), incoming));
        assertEquals(Optional.empty(), merged.previous());
        assertEquals(incoming, merged.stored());
        assertEquals(Optional.of(incoming), await(engine.read(key("m"))));
    }

    @Test
    void aNewerIncomingRecordReplacesTheStoredOne() throws Exception {
        KeyRecord newer = LwwRecord.of(value("newer", 9));
        assertMergeOver(LwwRecord.of(value("old", 5)), newer, newer);
    }

    @Test
    void anOlderIncomingRecordLeavesTheNewerOneStored() throws Exception {
        KeyRecord newer = LwwRecord.of(value("newer", 9));
        assertMergeOver(newer, LwwRecord.of(value("old", 5)), newer);
    }

    @Test
    void concurrentCausalWritesMergeIntoSiblings() throws Exception {
        KeyRecord a = RecordWrites.causalWrite(Optional.empty(), NONE, value("a", 1), "n1", 64);
        KeyRecord b = RecordWrites.causalWrite(Optional.empty(), NONE, value("b", 2), "n2", 64);
        assertMergeOver(a, b, a.merge(b));
        assertEquals(2, a.merge(b).siblings().size());
    }

    /** Stores {@code stored}, merges {@code incoming} into it: the merge reports both and {@code expected} is stored. */
    private void assertMergeOver(KeyRecord stored, KeyRecord incoming, KeyRecord expected) throws Exception {
        await(engine.update(key("m"), c -> stored));
        StorageEngine.Merged merged = await(engine.merge(key("m"), incoming));
        assertEquals(Optional.of(stored), merged.previous());
        assertEquals(expected, merged.stored());
        assertEquals(Optional.of(expected), await(engine.read(key("m"))));
    }
}
