package io.kvorum.storage;

import java.io.File;
import java.util.Objects;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Volumes for one MapDB {@code StoreWAL}: the store file is a {@link JournaledVolume} over the
 * file itself, memory-mapped ({@link MappedStoreVolume}, {@link StoreIo#MMAP}) or through a
 * {@link FileChannelVol} ({@link StoreIo#CHANNEL}); both take MapDB's file lock. MapDB's own
 * write-ahead log files are kept in memory.
 *
 * <p>Why mapped: every page MapDB reads that is not held in memory as a dirty or committed page
 * is read from the store file, a {@code pread} system call with a channel and a memory copy with
 * a mapping (see docs/storage-durability.md). Why not MapDB's default {@code RandomAccessFileVol}:
 * it reads a long with eight one-byte {@code read} calls; with positional channel reads the
 * engine measured about 7x the write throughput (14,000 vs 1,900 writes/s, 256 in flight, SYNC).
 * Channel I/O is interruptible (an interrupt closes the channel), so the engine clears the writer
 * thread's interrupt flag before touching the store; nothing else ever runs MapDB code.
 *
 * <p>Why in memory: MapDB 3.1.0's {@code StoreWAL} never replays its log when it opens a store
 * (its {@code init} reads the header and index pages only; {@code WriteAheadLog.replayWAL} has no
 * caller), and the log does not even record where the records it holds go in the store file.
 * The log only buffers a transaction until {@code commit()}, so writing and fsyncing it to disk
 * buys nothing; atomicity comes from {@link StoreJournal} instead. The log's volumes are reused
 * from one commit to the next ({@link WalVolumes}) rather than allocated per commit.
 */
final class JournaledVolumeFactory extends VolumeFactory {
    /** The slice size MapDB's log asks for, and must get: it places its records within 1 MiB slices. */
    private static final int WAL_SLICE_SHIFT = 20;

    private final String storeFile;
    private final StoreJournal journal;
    private final long checkpointBytes;
    private final StoreIo io;
    private final WalVolumes walVolumes = new WalVolumes(WAL_SLICE_SHIFT);
    private JournaledVolume storeVolume;

    JournaledVolumeFactory(String storeFile, StoreJournal journal, long checkpointBytes, StoreIo io) {
        this.storeFile = Objects.requireNonNull(storeFile);
        this.journal = Objects.requireNonNull(journal);
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
                    journal, checkpointBytes);
            return storeVolume;
        }
        if (sliceShift != WAL_SLICE_SHIFT) {
            return new ByteArrayVol(sliceShift, initSize);
        }
        return walVolumes.open(initSize);
    }

    private Volume storeFileVolume(File file, long fileLockWait, int sliceShift, long initSize) {
        return switch (io) {
            case MMAP -> MappedStoreVolume.open(file, fileLockWait, sliceShift, initSize);
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
