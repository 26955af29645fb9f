package io.kvorum.storage;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import org.mapdb.DBException;
import org.mapdb.DataInput2;
import org.mapdb.volume.MappedFileVol;

/**
 * The store file memory-mapped: MapDB's {@link MappedFileVol} (which maps the file in slices of
 * {@code 1 << sliceShift} bytes and takes MapDB's file lock), with its own {@link #sync()}.
 *
 * <p>{@code MappedFileVol.sync()} forces every slice, one {@code msync} each, and on Linux an
 * {@code msync(MS_SYNC)} is an {@code fsync} of that range, cache flush included, whether or not
 * the slice was written: a checkpoint of a 1 GiB store would cost 1024 of them. Measured on the
 * benchmark machine (ext4): forcing 25 slices with one dirty page each took 22-62 ms, one
 * {@code fdatasync} of the same changes 7 ms. So this volume remembers which slices were written
 * since the last sync, does nothing if none was, and otherwise, on Linux, syncs the file once
 * ({@code fdatasync}): Linux tracks pages written through a shared mapping as dirty pages of the
 * file, which an {@code fsync} or {@code fdatasync} of any descriptor of the file writes out
 * ({@code msync} is implemented as exactly that). Elsewhere, where the JDK only promises that
 * {@link MappedByteBuffer#force()} reaches the disk, it forces each written slice.
 *
 * <p>Every byte mapped has its disk blocks allocated first: {@code MappedFileVol} writes zeros
 * into each slice it adds (its "preclear"), and {@link #open} does the same for the unfilled end
 * of the last slice of an existing file. A full disk thus shows as an I/O error when the file
 * grows, not as a fault on a write into a mapped page (except on file systems that allocate on
 * every overwrite). Should a mapped write fault all the same, Java 17 throws an
 * {@link InternalError} ("a fault occurred in an unsafe memory access operation") rather than
 * crash, and the engine stops as it does on any failed commit.
 *
 * <p>Where one file sync covers the mapping (Linux), {@link #putData(long, byte[], int, int)} and
 * {@link #putData(long, ByteBuffer)}, which a checkpoint writes its pages with, go through the
 * file channel ({@code pwrite}) instead of the mapping, unless opened with {@code channelWrites}
 * false. Linux has one page cache: a read through the mapping sees a {@code pwrite} at once, and
 * the {@code fdatasync} writes both out. A write through the mapping to a page that was written
 * back since it last changed first takes a write-protect fault, with a TLB shootdown on the other
 * cores; a checkpoint writes a few thousand such pages, and in a profile of a node under load
 * those faults were most of the checkpoint thread's time (docs/benchmarks.md).
 *
 * <p>The buffers are not unmapped on close (MapDB's "cleaner hack" is off): a mapping stays until
 * the buffers are garbage-collected, which is harmless on Linux, while unmapping a buffer that
 * anything still reads crashes the JVM. Only {@link JournaledVolume} writes to this volume, and
 * only at checkpoints.
 */
final class MappedStoreVolume extends ForwardingVolume {
    /** Whether one {@code fdatasync} of the file also makes the writes through its mapping durable. */
    static final boolean FILE_SYNC_COVERS_MAPPING = System.getProperty("os.name", "").startsWith("Linux");

    private final MappedFileVol mapped;
    private final FileChannel channel; // not MapDB's: never locks, closed only after MapDB's channel
    private final int sliceShift;
    private final boolean syncWholeFile;
    private final boolean channelWrites;
    private final BitSet dirtySlices = new BitSet();
    private long syncs;
    private long forcedSlices;

    private MappedStoreVolume(MappedFileVol mapped, FileChannel channel, int sliceShift, boolean syncWholeFile,
                              boolean channelWrites) {
        super(mapped);
        this.mapped = mapped;
        this.channel = channel;
        this.sliceShift = sliceShift;
        this.syncWholeFile = syncWholeFile;
        this.channelWrites = channelWrites;
    }

    /** Maps {@code file} (creating it if needed) in slices of {@code 1 << sliceShift} bytes. */
    static MappedStoreVolume open(File file, long fileLockWait, int sliceShift, long initSize) {
        return open(file, fileLockWait, sliceShift, initSize, FILE_SYNC_COVERS_MAPPING);
    }

    /** As {@link #open(File, long, int, long)}; {@code syncWholeFile} false forces each written slice instead. */
    static MappedStoreVolume open(File file, long fileLockWait, int sliceShift, long initSize, boolean syncWholeFile) {
        return open(file, fileLockWait, sliceShift, initSize, syncWholeFile, syncWholeFile);
    }

    /**
     * As {@link #open(File, long, int, long, boolean)}; {@code channelWrites} writes byte ranges
     * with {@code pwrite} instead of through the mapping, and needs {@code syncWholeFile} (forcing
     * a slice of the mapping is not promised to write out what reached the file otherwise).
     */
    static MappedStoreVolume open(File file, long fileLockWait, int sliceShift, long initSize, boolean syncWholeFile,
                                  boolean channelWrites) {
        if (channelWrites && !syncWholeFile) {
            throw new IllegalArgumentException("writes through the channel need one sync of the whole file");
        }
        if (sliceShift < 12 || sliceShift > 30) {
            throw new IllegalArgumentException("slice shift out of range: " + sliceShift);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            fillLastSlice(channel, 1L << sliceShift);
            MappedFileVol mapped = new MappedFileVol(file, false, fileLockWait, sliceShift, false, initSize, false);
            return new MappedStoreVolume(mapped, channel, sliceShift, syncWholeFile, channelWrites);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DBException.VolumeIOError(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Writes zeros from the end of an existing file up to a slice boundary (mapping would leave a hole). */
    private static void fillLastSlice(FileChannel channel, long sliceSize) throws IOException {
        long length = channel.size();
        long end = (length + sliceSize - 1) / sliceSize * sliceSize;
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        for (long at = length; at < end; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - at));
            at += channel.write(zeros, at);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
    }

    /** How many times {@link #sync()} had written slices to sync. */
    synchronized long syncs() {
        return syncs;
    }

    /** How many slices {@link #sync()} has forced one by one (only without {@code syncWholeFile}). */
    synchronized long forcedSlices() {
        return forcedSlices;
    }

    @Override
    public synchronized void sync() {
        if (dirtySlices.isEmpty()) {
            return;
        }
        if (syncWholeFile) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new DBException.VolumeIOError(e);
            }
        } else {
            for (int slice = dirtySlices.nextSetBit(0); slice >= 0; slice = dirtySlices.nextSetBit(slice + 1)) {
                DataInput2 view = mapped.getDataInput((long) slice << sliceShift, 1);
                ((MappedByteBuffer) ((DataInput2.ByteBuffer) view).buf).force();
                forcedSlices++;
            }
        }
        dirtySlices.clear();
        syncs++;
    }

    private void written(long offset, long size) {
        if (size > 0) {
            dirtySlices.set((int) (offset >>> sliceShift), (int) ((offset + size - 1) >>> sliceShift) + 1);
        }
    }

    /**
     * A copy of the bytes, read as an array: MapDB decodes records (B-tree nodes above all) a byte
     * at a time, and a read from a heap array is much cheaper than one from the mapped buffer.
     */
    @Override
    public DataInput2 getDataInput(long offset, int size) {
        byte[] copy = new byte[size];
        mapped.getData(offset, copy, 0, size);
        return new DataInput2.ByteArray(copy);
    }

    // ---- writes: delegated, and their slices remembered ----

    @Override
    public synchronized void putLong(long offset, long value) {
        mapped.putLong(offset, value);
        written(offset, 8);
    }

    @Override
    public synchronized void putInt(long offset, int value) {
        mapped.putInt(offset, value);
        written(offset, 4);
    }

    @Override
    public synchronized void putByte(long offset, byte value) {
        mapped.putByte(offset, value);
        written(offset, 1);
    }

    @Override
    public synchronized void putData(long offset, byte[] src, int srcPos, int srcSize) {
        if (channelWrites) {
            write(offset, ByteBuffer.wrap(src, srcPos, srcSize));
        } else {
            mapped.putData(offset, src, srcPos, srcSize);
        }
        written(offset, srcSize);
    }

    @Override
    public synchronized void putData(long offset, ByteBuffer buf) {
        int size = buf.remaining();
        if (channelWrites) {
            write(offset, buf);
        } else {
            mapped.putData(offset, buf);
        }
        written(offset, size);
    }

    /** A positional write of the buffer's remaining bytes, all inside the mapped length. */
    private void write(long offset, ByteBuffer buf) {
        if (offset < 0 || offset + buf.remaining() > mapped.length()) {
            throw new DBException.VolumeEOF("write of " + buf.remaining() + " bytes at " + offset
                    + " past the mapped length " + mapped.length());
        }
        try {
            for (long at = offset; buf.hasRemaining(); ) {
                at += channel.write(buf, at);
            }
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        }
    }

    @Override
    public synchronized void clear(long startOffset, long endOffset) {
        mapped.clear(startOffset, endOffset);
        written(startOffset, endOffset - startOffset);
    }

    /**
     * {@code MappedFileVol} keeps the file a whole number of slices, so the bytes from {@code size}
     * to the end of its slice keep their content; MapDB truncates only when it compacts a store,
     * which the engine never does.
     */
    @Override
    public synchronized void truncate(long size) {
        mapped.truncate(size);
        int slices = (int) ((length() + (1L << sliceShift) - 1) >>> sliceShift);
        dirtySlices.clear(slices, Math.max(slices, dirtySlices.length()));
    }

    @Override
    public synchronized void ensureAvailable(long offset) {
        mapped.ensureAvailable(offset);
    }

    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                mapped.close(); // releases MapDB's file lock first: closing any channel of the file may release it
            } finally {
                closeQuietly(channel);
            }
        }
    }
}
