package io.kvorum.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mapdb.BTreeMap;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.Serializer;
import org.mapdb.StoreWAL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MapDB wiring of one node's data directory: a directory lock, crash recovery from the
 * {@link StoreJournal}, and a transactional MapDB store ({@code StoreWAL}, what
 * {@code DBMaker.fileDB(file).transactionEnable().make()} builds) whose store file is a
 * {@link JournaledVolume}. Used by one thread at a time (the engine's writer thread).
 *
 * <p>Why not plain {@code DBMaker}: MapDB 3.1.0's {@code commit()} does sync its write-ahead log
 * and then the store file before returning, so an acknowledged commit is on disk; but it updates
 * the store file in place after the log sync and never replays the log on open, so a crash in
 * the middle of that update leaves a torn, often unreadable store (reproduced with kill -9; see
 * {@code docs/} and the storage tests). {@code DBMaker} offers no way to plug a volume factory
 * into a file store, so the same {@code StoreWAL} is built here with {@link JournaledVolumeFactory}.
 */
final class MapDbStore implements AutoCloseable {
    static final String STORE_FILE = "kvorum-storage.db";
    static final String JOURNAL_FILE = "kvorum-storage.journal";
    static final String LOCK_FILE = "kvorum-storage.lock";

    private static final Logger LOG = LoggerFactory.getLogger(MapDbStore.class);

    final Path directory;
    final DB db;
    final BTreeMap<byte[], byte[]> records;
    final BTreeMap<String, byte[]> meta;
    private final JournaledVolumeFactory volumes;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private MapDbStore(Path directory, DB db, JournaledVolumeFactory volumes, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.db = db;
        this.volumes = volumes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.records = db.treeMap("records", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY)
                .valuesOutsideNodesEnable()
                .counterEnable()
                .createOrOpen();
        this.meta = db.treeMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        db.commit();
    }

    static MapDbStore open(Path directory) {
        Path dir = directory.toAbsolutePath();
        FileChannel lockChannel = null;
        StoreJournal journal = null;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("the storage directory " + dir + " is in use by another engine");
            }
            Path storeFile = dir.resolve(STORE_FILE);
            journal = StoreJournal.open(dir.resolve(JOURNAL_FILE));
            journal.recoverInto(storeFile).ifPresent(image -> LOG.warn(
                    "recovered an interrupted commit ({} pages) into {}", image.pages().size(), storeFile));
            discardIfNeverCommitted(storeFile);
            JournaledVolumeFactory volumes = new JournaledVolumeFactory(storeFile.toString(), journal);
            boolean existed = volumes.exists(storeFile.toString());
            StoreWAL store = StoreWAL.make(storeFile.toString(), volumes, 0L, true, CC.STORE_DIRECT_CONC_SHIFT,
                    CC.PAGE_SIZE, 0L, false, false, false, true, false);
            DB db = new DB(store, existed, true, Thread.currentThread().getContextClassLoader(), 0);
            MapDbStore opened;
            try {
                opened = new MapDbStore(dir, db, volumes, lockChannel, lock);
            } catch (RuntimeException | Error e) {
                db.close();
                throw e;
            }
            syncDirectory(dir);
            return opened;
        } catch (IOException e) {
            closeQuietly(journal, lockChannel);
            throw new UncheckedIOException("cannot open the storage in " + dir, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(journal, lockChannel);
            throw e;
        }
    }

    void commit() {
        db.commit();
    }

    void rollback() {
        db.rollback();
    }

    /** Commits that reached the store file through the journal since opening. */
    long journaledCommits() {
        JournaledVolume volume = volumes.storeVolume();
        return volume == null ? 0 : volume.journaledSyncs();
    }

    @Override
    public void close() {
        try {
            if (!db.isClosed()) {
                db.close();
            }
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("releasing the storage lock failed: {}", directory, e);
            }
        }
    }

    /**
     * A store file whose header was never written (a crash while the store was being created,
     * before its first commit) holds nothing; MapDB would refuse to open it.
     */
    private static void discardIfNeverCommitted(Path storeFile) throws IOException {
        if (!Files.exists(storeFile)) {
            return;
        }
        byte[] header = new byte[16];
        int read;
        try (InputStream in = Files.newInputStream(storeFile)) {
            read = in.readNBytes(header, 0, header.length);
        }
        boolean blank = true;
        for (int i = 0; i < read; i++) {
            blank &= header[i] == 0;
        }
        if (blank) {
            LOG.warn("discarding {}: it was created but never committed", storeFile);
            Files.delete(storeFile);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot sync directory {} on this platform", dir, e);
        }
    }

    private static void closeQuietly(StoreJournal journal, FileChannel lockChannel) {
        try {
            if (journal != null) {
                journal.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
        try {
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
    }
}
