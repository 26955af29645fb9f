package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over a memory-mapped store file; {@link MapDbStorageEngineChannelTest} runs it all over file channel I/O. */
class MapDbStorageEngineTest extends StorageEngineContract {
    @TempDir
    Path directory;

    /** How the engines of this test access the store file. */
    protected StoreIo io() {
        return StoreIo.MMAP;
    }

    private MapDbStorageEngine openEngine(Path dir, Durability durability, long periodicSyncMillis) {
        return openEngine(dir, durability, periodicSyncMillis, JournaledVolume.DEFAULT_CHECKPOINT_BYTES);
    }

    private MapDbStorageEngine openEngine(Path dir, Durability durability, long periodicSyncMillis,
                                          long checkpointBytes) {
        return MapDbStorageEngine.open(dir, durability, periodicSyncMillis, checkpointBytes, io());
    }

    @Override
    protected StorageEngine newEngine() {
        return openEngine(directory.resolve("node"), Durability.SYNC, 10);
    }

    private MapDbStorageEngine mapDb() {
        return (MapDbStorageEngine) engine;
    }

    private StorageEngine reopen(Durability durability) {
        engine.close();
        engine = openEngine(directory.resolve("node"), durability, 10);
        return engine;
    }

    @Test
    void reopeningKeepsRecordsMetaAndKeyCount() throws Exception {
        KeyRecord record = RecordWrites.causalWrite(Optional.empty(), NONE, value("x", 1), "n1", 64);
        await(engine.update(key("a"), c -> record));
        await(engine.update(key("b"), c -> counterRecord(7)));
        await(engine.writeMeta("bucket:users", new byte[] {4, 2}));

        reopen(Durability.SYNC);

        assertEquals(Optional.of(record), await(engine.read(key("a"))));
        assertEquals(7, counterOf(await(engine.read(key("b")))));
        assertArrayEquals(new byte[] {4, 2}, await(engine.readMeta()).get("bucket:users"));
        assertEquals(2, engine.approximateKeyCount());
    }

    /** The merge writes the incoming record first; only the final merge may reach the disk. */
    @Test
    void anOlderMergeCommitsOnlyTheNewerRecord() throws Exception {
        KeyRecord newer = LwwRecord.of(value("newer", 9));
        await(engine.update(key("m"), c -> newer));
        await(engine.merge(key("m"), LwwRecord.of(value("old", 5))));

        reopen(Durability.SYNC);

        assertEquals(Optional.of(newer), await(engine.read(key("m"))));
    }

    /** A stored record that does not decode fails the merge and stays as it was. */
    @Test
    void aMergeOverARecordThatDoesNotDecodeFailsAndLeavesItAsItWas() throws Exception {
        engine.close();
        byte[] garbage = {(byte) 0xEE, 1, 2, 3};
        try (MapDbStore store = MapDbStore.open(directory.resolve("node"))) {
            store.records.put(key("m").encode(), garbage);
            store.commit();
        }
        engine = openEngine(directory.resolve("node"), Durability.SYNC, 10);

        Throwable failure = failureOf(engine.merge(key("m"), LwwRecord.of(value("new", 9))));
        assertInstanceOf(IllegalArgumentException.class, failure);
        await(engine.update(key("other"), c -> counterRecord(1))); // a later commit
        engine.close();
        try (MapDbStore store = MapDbStore.open(directory.resolve("node"))) {
            assertArrayEquals(garbage, store.records.get(key("m").encode()));
        }
        engine = openEngine(directory.resolve("node"), Durability.SYNC, 10);
    }

    @Test
    void queuedUpdatesShareOneCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        long before = mapDb().commitCount();
        CompletableFuture<KeyRecord> blocker = engine.update(key("blocker"), c -> {
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return counterRecord(0);
        });
        List<CompletableFuture<KeyRecord>> updates = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            updates.add(engine.update(key("k" + i), c -> counterRecord(n)));
        }
        release.countDown();
        await(blocker);
        for (CompletableFuture<KeyRecord> update : updates) {
            await(update);
        }

        long commits = mapDb().commitCount() - before;
        assertTrue(commits >= 1 && commits <= 2, "301 updates took " + commits + " commits");
        assertEquals(301, engine.approximateKeyCount());
    }

    @Test
    void aReadOfAnIdleEngineIsServedOnTheCallersThread() throws Exception {
        await(engine.update(key("k"), c -> counterRecord(3)));
        long inline = mapDb().inlineReads();
        CompletableFuture<Optional<KeyRecord>> read = engine.read(key("k"));
        assertTrue(read.isDone(), "answered before read() returned");
        assertEquals(3, counterOf(read.get()));
        assertEquals(Optional.empty(), engine.read(key("none")).get(0, TimeUnit.SECONDS));
        assertEquals(inline + 2, mapDb().inlineReads());
    }

    /**
     * While a commit waits for its sync, the store is free to read, but not the keys that commit
     * wrote: their new values are not durable yet, and the old ones are superseded.
     */
    @Test
    void duringACommitsSyncOtherKeysAreReadAtOnceAndItsOwnKeysAfterIt() throws Exception {
        await(engine.update(key("other"), c -> counterRecord(1)));
        await(engine.update(key("k"), c -> counterRecord(1)));
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        mapDb().store().volume().forceHook(() -> {
            syncing.countDown();
            try {
                proceed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            CompletableFuture<KeyRecord> write = engine.update(key("k"), c -> counterRecord(2));
            assertTrue(syncing.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));

            CompletableFuture<Optional<KeyRecord>> other = engine.read(key("other"));
            assertTrue(other.isDone(), "a key the commit did not write is read at once, during its sync");
            assertEquals(1, counterOf(other.get()));
            CompletableFuture<Optional<KeyRecord>> same = engine.read(key("k"));
            // the writer is parked in the sync hook until proceed: a read that queued cannot be done
            assertFalse(same.isDone() || write.isDone(), "the written key waits for the sync");

            proceed.countDown();
            await(write);
            assertEquals(2, counterOf(await(same)));
        } finally {
            mapDb().store().volume().forceHook(null);
            proceed.countDown();
        }
    }

    @Test
    void heldSubmissionsWaitForTheReleaseThenRunInOrderInOneCommit() throws Exception {
        long before = mapDb().commitCount();
        assertTrue(engine.holdSubmissions());
        assertFalse(engine.holdSubmissions(), "this thread holds already");
        List<CompletableFuture<KeyRecord>> updates = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            updates.add(engine.update(key("same"), c -> counterRecord(n)));
        }
        CompletableFuture<Optional<KeyRecord>> read = engine.read(key("same"));
        // another thread is not held: its write is queued, committed and answered meanwhile
        KeyRecord other = CompletableFuture.supplyAsync(() -> engine.update(key("other"), c -> counterRecord(1)))
                .thenCompose(f -> f).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, counterOf(Optional.of(other)));
        assertEquals(1, mapDb().commitCount() - before);
        // held operations are in no queue until released: nothing can have run them
        assertFalse(read.isDone() || updates.stream().anyMatch(CompletableFuture::isDone), "held until released");

        engine.releaseHeld();
        assertEquals(49, counterOf(await(read)), "run in the order submitted");
        for (CompletableFuture<KeyRecord> update : updates) {
            await(update);
        }
        assertEquals(2, mapDb().commitCount() - before, "the 50 held writes share one commit");
        assertTrue(engine.holdSubmissions(), "released: holding starts again");
        engine.releaseHeld();
    }

    @Test
    void submissionsReleasedAfterCloseFail() throws Exception {
        assertTrue(engine.holdSubmissions());
        CompletableFuture<KeyRecord> held = engine.update(key("late"), c -> counterRecord(1));
        CompletableFuture.runAsync(engine::close).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        engine.releaseHeld();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> held.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
    }

    @Test
    void theCommitListenerSeesEveryWriteOfEachCommit() throws Exception {
        java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
        mapDb().setCommitListener((w, bytes, nanos) -> {
            writes.addAndGet(w);
            commits.incrementAndGet();
            assertTrue(bytes > 0 && nanos > 0, "bytes " + bytes + ", nanos " + nanos);
        });
        List<CompletableFuture<KeyRecord>> updates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            updates.add(engine.update(key("listen" + i), c -> counterRecord(n)));
        }
        for (CompletableFuture<KeyRecord> update : updates) {
            await(update);
        }
        assertEquals(200, writes.get());
        assertTrue(commits.get() >= 1 && commits.get() < 200, commits.get() + " commits");
    }

    @Test
    void concurrentWritersShareCommits() throws Exception {
        long before = mapDb().commitCount();
        List<CompletableFuture<KeyRecord>> updates = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            updates.add(engine.update(key("k" + (i % 50)), c -> counterRecord(counterOf(c) + n)));
        }
        for (CompletableFuture<KeyRecord> update : updates) {
            await(update);
        }
        long commits = mapDb().commitCount() - before;
        assertTrue(commits < 1000, "1000 queued updates took " + commits + " commits");
    }

    /**
     * Occupies the writer thread until {@code release} opens, so that what is queued next forms one
     * batch. Returns once the writer is inside the blocker: had it not taken the blocker yet, it
     * could drain the blocker with only part of what the test queues next.
     */
    private CompletableFuture<KeyRecord> holdWriterUntil(CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<KeyRecord> blocker = engine.update(key("blocker"), c -> {
            running.countDown();
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("writes nothing");
        });
        assertTrue(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the writer took the blocker");
        return blocker;
    }

    @Test
    void aReadCompletesOnlyAfterTheWriteBeforeItIsCommitted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<KeyRecord> blocker = holdWriterUntil(release);
        long before = mapDb().commitCount();
        CompletableFuture<KeyRecord> write = engine.update(key("k"), c -> counterRecord(1));
        CompletableFuture<Long> commitsSeenByRead = engine.read(key("k")).thenApply(r -> mapDb().commitCount());
        release.countDown(); // the write and the read now form one batch

        assertEquals(before + 1, await(commitsSeenByRead));
        assertEquals(1, counterOf(Optional.of(await(write))));
        failureOf(blocker);
    }

    @Test
    void aReadOfAKeyTheBatchDidNotWriteDoesNotWaitForTheCommit() throws Exception {
        await(engine.update(key("other"), c -> counterRecord(7)));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<KeyRecord> blocker = holdWriterUntil(release);
        long before = mapDb().commitCount();
        CompletableFuture<KeyRecord> write = engine.update(key("k"), c -> counterRecord(1));
        CompletableFuture<Long> commitsSeenByRead = engine.read(key("other")).thenApply(r -> {
            assertEquals(7, counterOf(r), "the committed value");
            return mapDb().commitCount();
        });
        release.countDown(); // the write and the read now form one batch

        assertEquals(before, await(commitsSeenByRead), "the read of an untouched key completed before the commit");
        assertEquals(1, counterOf(Optional.of(await(write))));
        assertEquals(before + 1, mapDb().commitCount());
        failureOf(blocker);
    }

    @Test
    void readOnlyBatchesDoNotCommit() throws Exception {
        await(engine.update(key("k"), c -> counterRecord(1)));
        long before = mapDb().commitCount();
        for (int i = 0; i < 20; i++) {
            await(engine.read(key("k")));
        }
        await(engine.readMeta());
        assertEquals(before, mapDb().commitCount());
    }

    @Test
    void failedUpdateFunctionsDoNotCommit() throws Exception {
        long before = mapDb().commitCount();
        failureOf(engine.update(key("k"), c -> {
            throw new IllegalStateException("no");
        }));
        assertEquals(before, mapDb().commitCount());
    }

    @Test
    void periodicModeAcknowledgesBeforeCommittingAndCommitsOnClose() throws Exception {
        engine.close();
        engine = openEngine(directory.resolve("node"), Durability.PERIODIC, TimeUnit.HOURS.toMillis(1));
        for (int i = 0; i < 10; i++) {
            int n = i;
            await(engine.update(key("k" + i), c -> counterRecord(n)));
        }
        assertEquals(0, mapDb().commitCount(), "no commit is due within the hour");

        reopen(Durability.SYNC);

        for (int i = 0; i < 10; i++) {
            assertEquals(i, counterOf(await(engine.read(key("k" + i)))));
        }
    }

    @Test
    void aFailingStoreStopsTheEngineInsteadOfAcknowledging() throws Exception {
        await(engine.update(key("k"), c -> counterRecord(1)));
        mapDb().store().db.close(); // the store breaks under the engine

        assertTrue(failureOf(engine.update(key("k"), c -> counterRecord(2))) instanceof StorageException);
        assertFalse(mapDb().isHealthy());
        assertTrue(failureOf(engine.read(key("k"))) instanceof StorageException);
        assertTrue(failureOf(engine.writeMeta("m", new byte[] {1})) instanceof StorageException);
        engine.close();

        engine = openEngine(directory.resolve("node"), Durability.SYNC, 10);
        assertEquals(1, counterOf(await(engine.read(key("k")))), "the last committed state survives");
    }

    @Test
    void aSecondEngineCannotOpenTheSameDirectory() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> openEngine(directory.resolve("node"), Durability.SYNC, 10));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    @Test
    void periodicModeNeedsAPositiveInterval() {
        assertThrows(IllegalArgumentException.class,
                () -> openEngine(directory.resolve("other"), Durability.PERIODIC, 0));
    }

    @Test
    void largeBatchesAreSplitAndStillDurable() throws Exception {
        byte[] big = new byte[1 << 20];
        List<CompletableFuture<KeyRecord>> updates = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            big[0] = (byte) i;
            Sibling s = Sibling.of(big, "application/octet-stream", new io.kvorum.ring.HlcTimestamp(i, 0, "n1"));
            updates.add(engine.update(key("big" + i), c -> LwwRecord.of(s)));
        }
        for (CompletableFuture<KeyRecord> update : updates) {
            await(update);
        }
        reopen(Durability.SYNC);
        for (int i = 0; i < 40; i++) {
            byte[] stored = await(engine.read(key("big" + i))).orElseThrow().siblings().get(0).value();
            assertEquals(1 << 20, stored.length);
            assertEquals((byte) i, stored[0]);
        }
    }

    /**
     * Builds, from two real store states, the files a crash leaves behind in the middle of a
     * commit (journal synced, store file partly rewritten) and checks the recovery.
     */
    @Test
    void aCommitInterruptedAfterItsJournalWasSyncedIsCompletedOnOpen() throws Exception {
        Path node = directory.resolve("node");
        Path storeFile = node.resolve(MapDbStore.STORE_FILE);
        for (int i = 0; i < 20; i++) {
            int n = i;
            await(engine.update(key("k" + i), c -> counterRecord(n)));
        }
        engine.close();
        byte[] before = Files.readAllBytes(storeFile);
        engine = openEngine(node, Durability.SYNC, 10);
        for (int i = 0; i < 40; i++) {
            int n = i;
            await(engine.update(key("k" + i), c -> counterRecord(1000 + n)));
        }
        engine.close();
        byte[] after = Files.readAllBytes(storeFile);
        TreeMap<Long, byte[]> changed = changedPages(before, after);
        assertTrue(changed.size() >= 2, "the second session changed " + changed.size() + " pages");

        // torn store file: the first half of the changed pages written, the journal complete
        byte[] torn = before.length >= after.length ? before.clone() : Arrays.copyOf(before, after.length);
        changed.headMap(changed.keySet().stream().skip(changed.size() / 2).findFirst().orElseThrow())
                .forEach((offset, page) -> System.arraycopy(page, 0, torn, offset.intValue(),
                        Math.min(page.length, torn.length - offset.intValue())));
        Files.write(storeFile, torn);
        writeJournal(node, changed);

        engine = openEngine(node, Durability.SYNC, 10);
        for (int i = 0; i < 40; i++) {
            assertEquals(1000 + i, counterOf(await(engine.read(key("k" + i)))), "k" + i);
        }
        engine.close();
        assertEquals(0, Files.size(node.resolve(MapDbStore.JOURNAL_FILE)), "a clean close leaves no journal");
        engine = openEngine(node, Durability.SYNC, 10);
        assertEquals(1039, counterOf(await(engine.read(key("k39")))));
    }

    @Test
    void aTornJournalIsDiscardedAndTheStoreKeepsItsLastCommit() throws Exception {
        Path node = directory.resolve("node");
        Path storeFile = node.resolve(MapDbStore.STORE_FILE);
        await(engine.update(key("k"), c -> counterRecord(1)));
        engine.close();
        byte[] before = Files.readAllBytes(storeFile);
        engine = openEngine(node, Durability.SYNC, 10);
        await(engine.update(key("k"), c -> counterRecord(2)));
        await(engine.update(key("new"), c -> counterRecord(3)));
        engine.close();
        TreeMap<Long, byte[]> changed = changedPages(before, Files.readAllBytes(storeFile));

        Files.write(storeFile, before); // the crash came before the store file was touched
        ByteBuffer journal = StoreJournal.encode(1, JournaledVolume.PAGE_SIZE, changed);
        Files.write(node.resolve(MapDbStore.JOURNAL_FILE),
                Arrays.copyOf(journal.array(), journal.limit() - 1)); // ... and while the journal was written

        engine = openEngine(node, Durability.SYNC, 10);
        assertEquals(1, counterOf(await(engine.read(key("k")))));
        assertEquals(Optional.empty(), await(engine.read(key("new"))));
    }

    @Test
    void aStoreWhoseCreationACrashInterruptedIsDiscarded() throws Exception {
        engine.close();
        Path node = directory.resolve("fresh");
        Files.createDirectories(node);
        // what a crash during creation leaves: a half-written store under its temporary name
        Files.write(node.resolve(MapDbStore.STORE_FILE + ".new"), new byte[8192]);
        Files.write(node.resolve(MapDbStore.JOURNAL_FILE + ".new"), new byte[100]);

        engine = openEngine(node, Durability.SYNC, 10);

        assertEquals(Optional.empty(), await(engine.read(key("k"))));
        await(engine.update(key("k"), c -> counterRecord(1)));
        assertTrue(mapDb().isHealthy());
        assertFalse(Files.exists(node.resolve(MapDbStore.STORE_FILE + ".new")));
        assertFalse(Files.exists(node.resolve(MapDbStore.JOURNAL_FILE + ".new")));
    }

    @Test
    void aStoreGrowingOverSeveralSlicesWithFrequentCheckpointsReopensWithEveryValue() throws Exception {
        engine.close();
        Path node = directory.resolve("growing");
        engine = openEngine(node, Durability.SYNC, 10, 256 * 1024);
        byte[] value = new byte[2000];
        List<CompletableFuture<KeyRecord>> updates = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int n = i;
            value[0] = (byte) i;
            Sibling s = Sibling.of(value.clone(), "application/octet-stream", new io.kvorum.ring.HlcTimestamp(n, 0, "n1"));
            updates.add(engine.update(key("g" + i), c -> LwwRecord.of(s)));
        }
        for (CompletableFuture<KeyRecord> update : updates) {
            await(update);
        }
        assertTrue(Files.size(node.resolve(MapDbStore.STORE_FILE)) > 3L << 20, "the store spans several slices");
        for (int i = 0; i < 2000; i += 7) {
            int n = i;
            await(engine.update(key("g" + i), c -> counterRecord(n)));
        }
        engine.close();
        assertEquals(0, Files.size(node.resolve(MapDbStore.JOURNAL_FILE)));

        engine = openEngine(node, Durability.SYNC, 10);
        for (int i = 0; i < 2000; i++) {
            Optional<KeyRecord> stored = await(engine.read(key("g" + i)));
            if (i % 7 == 0) {
                assertEquals(i, counterOf(stored), "g" + i);
            } else {
                byte[] bytes = stored.orElseThrow().siblings().get(0).value();
                assertEquals(2000, bytes.length);
                assertEquals((byte) i, bytes[0], "g" + i);
            }
        }
        assertEquals(2000, engine.approximateKeyCount());
    }

    @Test
    void aStoreOpensWithTheOtherKindOfIoIncludingItsUncheckpointedCommits() throws Exception {
        Path node = directory.resolve("node");
        for (int i = 0; i < 50; i++) {
            int n = i;
            await(engine.update(key("k" + i), c -> counterRecord(n)));
        }
        engine.close();
        StoreIo other = io() == StoreIo.MMAP ? StoreIo.CHANNEL : StoreIo.MMAP;
        engine = MapDbStorageEngine.open(node, Durability.SYNC, 10, Long.MAX_VALUE, other);
        for (int i = 0; i < 50; i++) {
            int n = i;
            await(engine.update(key("k" + i), c -> counterRecord(counterOf(c) + 100)));
            assertEquals(n + 100, counterOf(await(engine.read(key("k" + i)))));
        }
        // what a crash leaves: the commits in the journal alone
        byte[] journal = Files.readAllBytes(node.resolve(MapDbStore.JOURNAL_FILE));
        byte[] store = Files.readAllBytes(node.resolve(MapDbStore.STORE_FILE));
        assertTrue(journal.length > 0);
        engine.close();
        Files.write(node.resolve(MapDbStore.JOURNAL_FILE), journal);
        Files.write(node.resolve(MapDbStore.STORE_FILE), store);

        engine = openEngine(node, Durability.SYNC, 10);
        for (int i = 0; i < 50; i++) {
            assertEquals(i + 100, counterOf(await(engine.read(key("k" + i)))), "k" + i);
        }
    }

    private static TreeMap<Long, byte[]> changedPages(byte[] before, byte[] after) {
        int pageSize = JournaledVolume.PAGE_SIZE;
        TreeMap<Long, byte[]> changed = new TreeMap<>();
        for (int offset = 0; offset < after.length; offset += pageSize) {
            byte[] page = Arrays.copyOfRange(after, offset, offset + pageSize); // zero-padded past the end
            byte[] old = offset < before.length ? Arrays.copyOfRange(before, offset, offset + pageSize) : null;
            if (old == null || !Arrays.equals(old, page)) {
                changed.put((long) offset, page);
            }
        }
        return changed;
    }

    private static void writeJournal(Path node, TreeMap<Long, byte[]> pages) throws IOException {
        ByteBuffer journal = StoreJournal.encode(7, JournaledVolume.PAGE_SIZE, pages);
        Files.write(node.resolve(MapDbStore.JOURNAL_FILE), Arrays.copyOf(journal.array(), journal.limit()));
    }
}
