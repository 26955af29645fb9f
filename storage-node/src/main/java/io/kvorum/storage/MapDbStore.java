package io.kvorum.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mapdb.BTreeMap;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.Serializer;
import org.mapdb.StoreDirect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MapDB wiring of one node's data directory: a directory lock, crash recovery from the
 * {@link StoreJournal}, and a MapDB store whose store file is a {@link JournaledVolume}. Used by
 * one thread at a time (the engine's writer thread).
 *
 * <p>The store is MapDB's plain {@code StoreDirect} (what {@code DBMaker.fileDB(file).make()}
 * builds; the file format is the one {@code transactionEnable()}'s {@code StoreWAL} writes), and
 * the journal under it is the write-ahead log: everything MapDB writes between two commits stays
 * in the volume's dirty pages, {@code commit()} appends them to the journal and syncs it, and a
 * crash at any moment leaves the store at its last commit. Why not MapDB's transactions: MapDB
 * 3.1.0's {@code StoreWAL} syncs its log and then updates the store file in place, but never
 * replays the log on open, so a crash in the middle of that update leaves a torn, often
 * unreadable store (reproduced with kill -9; see docs/storage-durability.md); and with the
 * journal doing that work, its in-memory log was only a second copy of every change, and a
 * sixth of the writer thread's time. {@code DBMaker} offers no way to plug a volume factory into
 * a file store, so the store is built here with a {@link JournaledVolumeFactory}.
 */
final class MapDbStore implements AutoCloseable {
    /** The file name prefix of the node's record store. */
    static final String FILE_PREFIX = "kvorum-storage";
    static final String STORE_FILE = FILE_PREFIX + ".db";
    static final String JOURNAL_FILE = FILE_PREFIX + ".journal";
    /** The spare journal's name is the journal's and this (commits during a background checkpoint go there). */
    static final String SPARE_SUFFIX = "2";
    static final String LOCK_FILE = FILE_PREFIX + ".lock";
    /** Where MapDB keeps the store header's feature bits in the store file. */
    private static final long STORE_HEADER_OFFSET = 16;

    private static final Logger LOG = LoggerFactory.getLogger(MapDbStore.class);

    static {
        LoadedLibraryCopies.unlinkLz4Copy(); // before any store is opened: a kill must not leak it
    }

    final Path directory;
    final DB db;
    private final JournaledVolume volume;
    final BTreeMap<byte[], byte[]> records;
    final BTreeMap<String, byte[]> meta;
    private final ExecutorService checkpointer; // null: checkpoints run in the commit
    private final FileChannel lockChannel;
    private final FileLock lock;

    private MapDbStore(Path directory, Opened opened, FileChannel lockChannel, FileLock lock,
                       ExecutorService checkpointer) {
        this.directory = directory;
        this.db = opened.db();
        this.volume = opened.volume();
        this.checkpointer = checkpointer;
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
        return open(directory, FILE_PREFIX);
    }

    /**
     * Opens (creating if needed) a store whose files are {@code <filePrefix>.db},
     * {@code <filePrefix>.journal} and {@code <filePrefix>.lock} in {@code directory}, so that
     * several stores (the records, the hints) can share a node's data directory, each with its
     * own lock, journal and recovery.
     */
    static MapDbStore open(Path directory, String filePrefix) {
        return open(directory, filePrefix, JournaledVolume.DEFAULT_CHECKPOINT_BYTES, StoreIo.MMAP);
    }

    /**
     * As {@link #open(Path, String)}, checkpointing committed pages into the store file whenever
     * the journal holds {@code checkpointBytes} (0: at every commit, two syncs per commit), and
     * accessing the store file as {@code io} says.
     */
    static MapDbStore open(Path directory, String filePrefix, long checkpointBytes, StoreIo io) {
        Objects.requireNonNull(io, "io");
        if (checkpointBytes < 0) {
            throw new IllegalArgumentException("checkpointBytes must be >= 0: " + checkpointBytes);
        }
        if (filePrefix.isEmpty() || filePrefix.contains("/") || filePrefix.contains(File.separator)) {
            throw new IllegalArgumentException("not a plain file name prefix: '" + filePrefix + "'");
        }
        String storeName = filePrefix + ".db";
        String journalName = filePrefix + ".journal";
        Path dir = directory.toAbsolutePath();
        FileChannel lockChannel = null;
        StoreJournal journal = null;
        StoreJournal spare = null;
        ExecutorService checkpointer = null;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(filePrefix + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("the storage directory " + dir + " is in use by another engine"
                        + (filePrefix.equals(FILE_PREFIX) ? "" : " (" + filePrefix + " store)"));
            }
            Path storeFile = dir.resolve(storeName);
            journal = StoreJournal.open(dir.resolve(journalName));
            spare = StoreJournal.open(dir.resolve(journalName + SPARE_SUFFIX));
            StoreJournal.recoverInto(storeFile, journal, spare).ifPresent(image -> LOG.warn(
                    "recovered committed pages from the journal ({} chunks) into {}", image.pages().size(), storeFile));
            if (!Files.exists(storeFile)) {
                create(dir, storeName, journalName, io);
            }
            if (checkpointBytes > 0) {
                checkpointer = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "kvorum-checkpoint[" + filePrefix + "]");
                    thread.setDaemon(true);
                    return thread;
                });
            } else { // every commit is checkpointed at once, in the commit
                spare.close();
                spare = null;
            }
            Opened db = openDb(storeFile, journal, spare, checkpointer, true, checkpointBytes, io,
                    hasHeaderChecksum(storeFile));
            MapDbStore opened;
            try {
                opened = new MapDbStore(dir, db, lockChannel, lock, checkpointer);
            } catch (RuntimeException | Error e) {
                db.close();
                throw e;
            }
            return opened;
        } catch (IOException e) {
            closeQuietly(journal, spare, checkpointer, lockChannel);
            throw new UncheckedIOException("cannot open the storage in " + dir, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(journal, spare, checkpointer, lockChannel);
            throw e;
        }
    }

    /**
     * Creates an empty store atomically: built and committed under a temporary name, then renamed.
     * A crash during creation leaves only the temporary files, which the next open discards;
     * without this, a crash between MapDB writing the new file's header and its first commit
     * leaves a store that MapDB cannot open (its name catalog is missing).
     */
    private static void create(Path dir, String storeName, String journalName, StoreIo io) throws IOException {
        Path storeFile = dir.resolve(storeName);
        Path fresh = dir.resolve(storeName + ".new");
        Path freshJournal = dir.resolve(journalName + ".new");
        Files.deleteIfExists(fresh);
        Files.deleteIfExists(freshJournal);
        Opened db = openDb(fresh, StoreJournal.open(freshJournal), null, null, false, 0, io, false);
        try {
            new MapDbStore(dir, db, null, null, null);
        } finally {
            db.close();
        }
        Files.move(fresh, storeFile, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(freshJournal);
        syncDirectory(dir);
        LOG.info("created storage {}", storeFile);
    }

    /**
     * Whether the store file was created with MapDB's header checksum (bit 0 of the store header
     * at offset 16), which MapDB then requires on every open. Stores created before Kvorum turned
     * it off have it; new ones do not. MapDB recomputes that checksum over the first 32 KiB of the
     * file (8,210 reads) at every commit, which is several percent of a node's CPU under load,
     * and it guards only against a torn header, which the journal already rules out: every write
     * to the store file is replayed from the journal after a crash.
     */
    static boolean hasHeaderChecksum(Path storeFile) throws IOException {
        try (FileChannel channel = FileChannel.open(storeFile, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(4); // big-endian, as MapDB writes it
            int read = 0;
            while (header.hasRemaining()) {
                int n = channel.read(header, STORE_HEADER_OFFSET + read);
                if (n < 0) {
                    throw new IOException("the store file " + storeFile + " is too short for a MapDB header: "
                            + channel.size() + " bytes");
                }
                read += n;
            }
            return (header.getInt(0) & 1) != 0;
        }
    }

    /** A MapDB database and the volume of its store file. */
    private record Opened(DB db, JournaledVolume volume) {
        void close() {
            db.close();
        }
    }

    /**
     * What {@code DBMaker.fileDB(file).make()} builds, with a journaled store volume, and the
     * header checksum as {@code headerChecksum} says ({@link #hasHeaderChecksum}).
     */
    private static Opened openDb(Path storeFile, StoreJournal journal, StoreJournal spare, Executor checkpointer,
                                 boolean existing, long checkpointBytes, StoreIo io, boolean headerChecksum) {
        JournaledVolumeFactory volumes = new JournaledVolumeFactory(storeFile.toString(), journal, spare, checkpointer,
                checkpointBytes, io);
        StoreDirect store = StoreDirect.Companion.make(storeFile.toString(), volumes, 0L, false, true,
                CC.STORE_DIRECT_CONC_SHIFT, CC.PAGE_SIZE, 0L, false, false, false, headerChecksum, false);
        return new Opened(new DB(store, existing, true, Thread.currentThread().getContextClassLoader(), 0),
                volumes.storeVolume());
    }

    void commit() {
        db.commit();
    }

    /** The store file's volume. */
    JournaledVolume volume() {
        return volume;
    }

    /**
     * Nothing to undo in MapDB: what it wrote since the last commit is only in the volume's dirty
     * pages, which are never journaled once the writer has failed, and are dropped at close.
     */
    void rollback() {
    }

    @Override
    public void close() {
        try {
            if (!db.isClosed()) {
                db.close(); // waits for a checkpoint still running, then checkpoints the rest
            }
        } finally {
            if (checkpointer != null) {
                checkpointer.shutdown();
            }
            try {
                if (lockChannel != null) {
                    lock.release();
                    lockChannel.close();
                }
            } catch (IOException e) {
                LOG.warn("releasing the storage lock failed: {}", directory, e);
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot sync directory {} on this platform", dir, e);
        }
    }

    private static void closeQuietly(StoreJournal journal, StoreJournal spare, ExecutorService checkpointer,
                                     FileChannel lockChannel) {
        for (StoreJournal j : new StoreJournal[] {journal, spare}) {
            try {
                if (j != null) {
                    j.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
        }
        if (checkpointer != null) {
            checkpointer.shutdown();
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
