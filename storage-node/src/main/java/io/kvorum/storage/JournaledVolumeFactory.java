package io.kvorum.storage;

import java.io.File;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Volumes for one MapDB store: the store file is a {@link JournaledVolume} over the file itself,
 * memory-mapped ({@link MappedStoreVolume}, {@link StoreIo#MMAP}) or through a
 * {@link FileChannelVol} ({@link StoreIo#CHANNEL}); both take MapDB's file lock. Any other file
 * MapDB asks for is kept in memory: only a {@code StoreWAL} asks, for its log, and the engine's
 * store is a {@code StoreDirect} ({@link MapDbStore}; a test still builds a {@code StoreWAL} to
 * check that data directories it wrote open).
 *
 * <p>Why mapped: every page MapDB reads that is not held in memory as a dirty or committed page
 * is read from the store file, a {@code pread} system call with a channel and a memory copy with
 * a mapping (see docs/storage-durability.md). Why not MapDB's default {@code RandomAccessFileVol}:
 * it reads a long with eight one-byte {@code read} calls; with positional channel reads the
 * engine measured about 7x the write throughput (14,000 vs 1,900 writes/s, 256 in flight, SYNC).
 * Channel I/O is interruptible (an interrupt closes the channel), so the engine clears the writer
 * thread's interrupt flag before touching the store; nothing else ever runs MapDB code.
 */
final class JournaledVolumeFactory extends VolumeFactory {
    private final String storeFile;
    private final StoreJournal journal;
    private final StoreJournal spare;
    private final Executor checkpointer;
    private final long checkpointBytes;
    private final StoreIo io;
    private JournaledVolume storeVolume;

    JournaledVolumeFactory(String storeFile, StoreJournal journal, long checkpointBytes, StoreIo io) {
        this(storeFile, journal, null, null, checkpointBytes, io);
    }

    /** With a spare journal and a checkpointer, the store volume checkpoints in the background ({@link JournaledVolume}). */
    JournaledVolumeFactory(String storeFile, StoreJournal journal, StoreJournal spare, Executor checkpointer,
                           long checkpointBytes, StoreIo io) {
        this.storeFile = Objects.requireNonNull(storeFile);
        this.journal = Objects.requireNonNull(journal);
        this.spare = spare;
        this.checkpointer = checkpointer;
        this.checkpointBytes = checkpointBytes;
        this.io = Objects.requireNonNull(io);
    }

    @Override
    public Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize,
                             boolean fixedSize) {
        if (storeFile.equals(file)) {
            if (readOnly) {
                throw new UnsupportedOperationException("the store is never opened read-only");
            }
            storeVolume = new JournaledVolume(storeFileVolume(new File(file), fileLockWait, sliceShift, initSize),
                    journal, spare, checkpointBytes, checkpointBytes, checkpointer);
            return storeVolume;
        }
        return new ByteArrayVol(sliceShift, initSize);
    }

    private Volume storeFileVolume(File file, long fileLockWait, int sliceShift, long initSize) {
        return switch (io) {
            case MMAP -> MappedStoreVolume.open(file, fileLockWait, sliceShift, initSize);
            case MMAP_WRITES -> MappedStoreVolume.open(file, fileLockWait, sliceShift, initSize,
                    MappedStoreVolume.FILE_SYNC_COVERS_MAPPING, false);
            case CHANNEL -> new FileChannelVol(file, false, fileLockWait, sliceShift, initSize);
        };
    }

    @Override
    public boolean exists(String file) {
        if (!storeFile.equals(file)) {
            return false;
        }
        File f = new File(file);
        return f.exists() && f.length() > 0;
    }

    @Override
    public boolean handlesReadonly() {
        return false;
    }

    JournaledVolume storeVolume() {
        return storeVolume;
    }
}
