package io.kvorum.storage;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.mapdb.DBException;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * The MapDB volume of the store file, made crash-safe by a physical redo journal
 * ({@link StoreJournal}). Writes are held as dirty pages in memory until {@link #sync()}, which
 * MapDB's {@code StoreWAL} calls exactly once at the end of each {@code commit()}: the pages that
 * commit changed are appended to the journal, which is synced (one {@code fdatasync} per commit:
 * this is what makes the commit durable). They are not written into the store file yet: they
 * stay in memory as committed pages, and a <em>checkpoint</em> writes all of them in place,
 * syncs the store file and restarts the journal once it holds {@code checkpointBytes}, and on
 * close. A commit thus costs one sync instead of two, and a page that many commits rewrite (MapDB
 * rewrites its index page on every commit) is written in place once per checkpoint. After a
 * crash, replaying the journal's intact commits in order rebuilds the committed state
 * ({@link StoreJournal#recoverInto}). Reads see dirty pages, then committed ones, then the file.
 * Thread-safe: every method is synchronized.
 *
 * <p>The base volume, the store file itself, is a {@link MappedStoreVolume} or a
 * {@code FileChannelVol} ({@link StoreIo}); either way it is written only at checkpoints. Its
 * length is kept here rather than asked for on every read ({@code length()} is a system call for
 * both), and reads that would cross one of its slices are split into pages.
 */
final class JournaledVolume extends Volume {
    static final int PAGE_SIZE = 4096;
    /** Journal size at which committed pages are checkpointed into the store file. */
    static final long DEFAULT_CHECKPOINT_BYTES = 8L << 20;

    private final Volume base;
    private final int baseSliceShift; // 0: the base is not sliced
    private final StoreJournal journal;
    private final long checkpointBytes;
    private final TreeMap<Long, byte[]> dirty = new TreeMap<>(); // page number -> page, not committed yet
    private final TreeMap<Long, byte[]> committed = new TreeMap<>(); // journaled, not yet in the store file
    private long baseLength; // the store file's length: only ensureAvailable, truncate and checkpoints change it
    private long sequence;
    private long syncs;
    private long checkpoints;

    JournaledVolume(Volume base, StoreJournal journal) {
        this(base, journal, DEFAULT_CHECKPOINT_BYTES);
    }

    /** With {@code checkpointBytes} 0 every commit is checkpointed at once (two syncs per commit). */
    JournaledVolume(Volume base, StoreJournal journal, long checkpointBytes) {
        this.base = base;
        this.baseSliceShift = base.isSliced() ? Integer.numberOfTrailingZeros(base.sliceSize()) : 0;
        if (baseSliceShift != 0 && (base.sliceSize() != 1 << baseSliceShift || base.sliceSize() < PAGE_SIZE)) {
            throw new IllegalArgumentException("slices of " + base.sliceSize() + " bytes");
        }
        this.journal = journal;
        this.checkpointBytes = checkpointBytes;
        this.baseLength = base.length();
    }

    /** How many commits went through the journal. */
    synchronized long journaledSyncs() {
        return syncs;
    }

    /** How many times committed pages were written into the store file and synced. */
    synchronized long checkpoints() {
        return checkpoints;
    }

    @Override
    public synchronized void sync() {
        if (dirty.isEmpty()) {
            return;
        }
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        dirty.forEach((page, bytes) -> pages.put(page * PAGE_SIZE, bytes));
        try {
            journal.append(++sequence, PAGE_SIZE, pages);
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        }
        committed.putAll(dirty);
        dirty.clear();
        syncs++;
        if (journal.size() >= checkpointBytes) {
            checkpoint();
        }
    }

    /**
     * Writes every committed page in place, syncs the store file, then restarts the journal
     * (the restart itself need not be synced: see {@link StoreJournal#restart}).
     */
    private void checkpoint() {
        if (committed.isEmpty()) {
            return;
        }
        growBase((committed.lastKey() + 1) * PAGE_SIZE); // a mapped file cannot be written past its end
        committed.forEach((page, bytes) -> base.putData(page * PAGE_SIZE, bytes, 0, bytes.length));
        base.sync();
        committed.clear();
        checkpoints++;
        journal.restart();
    }

    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dirty.clear(); // changes of a commit that never reached sync() are abandoned, like MapDB's own
        try {
            if (!committed.isEmpty()) {
                checkpoint();
                journal.clear();
            }
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        } finally {
            closeFiles();
        }
    }

    private void closeFiles() {
        try {
            base.close();
        } finally {
            try {
                journal.close();
            } catch (IOException e) {
                throw new DBException.VolumeIOError(e);
            }
        }
    }

    // ---- writes go to dirty pages ----

    @Override
    public synchronized void putLong(long offset, long value) {
        write(offset, ByteBuffer.allocate(8).putLong(value).array(), 0, 8);
    }

    @Override
    public synchronized void putInt(long offset, int value) {
        write(offset, ByteBuffer.allocate(4).putInt(value).array(), 0, 4);
    }

    @Override
    public synchronized void putByte(long offset, byte value) {
        write(offset, new byte[] {value}, 0, 1);
    }

    @Override
    public synchronized void putData(long offset, byte[] src, int srcPos, int srcSize) {
        write(offset, src, srcPos, srcSize);
    }

    @Override
    public synchronized void putData(long offset, ByteBuffer buf) {
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        write(offset, bytes, 0, bytes.length);
    }

    @Override
    public synchronized void clear(long startOffset, long endOffset) {
        byte[] zeros = new byte[PAGE_SIZE];
        long offset = startOffset;
        while (offset < endOffset) {
            int n = (int) Math.min(PAGE_SIZE, endOffset - offset);
            write(offset, zeros, 0, n);
            offset += n;
        }
    }

    @Override
    public synchronized void ensureAvailable(long offset) {
        growBase(offset); // growing the file is harmless: MapDB's header says what is in use
    }

    private void growBase(long offset) {
        base.ensureAvailable(offset);
        if (offset > baseLength) {
            baseLength = base.length();
        }
    }

    @Override
    public synchronized void truncate(long size) {
        long firstGone = (size + PAGE_SIZE - 1) / PAGE_SIZE;
        for (TreeMap<Long, byte[]> pages : List.of(dirty, committed)) {
            pages.tailMap(firstGone, true).clear();
            if (size % PAGE_SIZE != 0) {
                byte[] straddling = pages.get(size / PAGE_SIZE);
                if (straddling != null) {
                    Arrays.fill(straddling, (int) (size % PAGE_SIZE), PAGE_SIZE, (byte) 0);
                }
            }
        }
        base.truncate(size);
        baseLength = base.length();
    }

    // ---- reads see dirty pages ----

    @Override
    public synchronized long getLong(long offset) {
        if (inFileOnly(offset, 8)) {
            return base.getLong(offset);
        }
        byte[] b = new byte[8];
        read(offset, b, 0, 8);
        return ByteBuffer.wrap(b).getLong();
    }

    @Override
    public synchronized int getInt(long offset) {
        if (inFileOnly(offset, 4)) {
            return base.getInt(offset);
        }
        byte[] b = new byte[4];
        read(offset, b, 0, 4);
        return ByteBuffer.wrap(b).getInt();
    }

    @Override
    public synchronized byte getByte(long offset) {
        if (inFileOnly(offset, 1)) {
            return base.getByte(offset);
        }
        byte[] b = new byte[1];
        read(offset, b, 0, 1);
        return b[0];
    }

    @Override
    public synchronized DataInput2 getDataInput(long offset, int size) {
        if (inFileOnly(offset, size)) {
            return base.getDataInput(offset, size);
        }
        byte[] b = new byte[size];
        read(offset, b, 0, size);
        return new DataInput2.ByteArray(b);
    }

    @Override
    public synchronized void getData(long offset, byte[] bytes, int bytesPos, int size) {
        if (inFileOnly(offset, size)) {
            base.getData(offset, bytes, bytesPos, size);
            return;
        }
        read(offset, bytes, bytesPos, size);
    }

    @Override
    public synchronized long getSixLong(long offset) {
        return inFileOnly(offset, 6) ? base.getSixLong(offset) : super.getSixLong(offset);
    }

    @Override
    public synchronized long getPackedLong(long offset) {
        return inFileOnly(offset, 10) ? base.getPackedLong(offset) : super.getPackedLong(offset);
    }

    @Override
    public synchronized int getUnsignedShort(long offset) {
        return inFileOnly(offset, 2) ? base.getUnsignedShort(offset) : super.getUnsignedShort(offset);
    }

    @Override
    public synchronized int getUnsignedByte(long offset) {
        return inFileOnly(offset, 1) ? base.getUnsignedByte(offset) : super.getUnsignedByte(offset);
    }

    @Override
    public synchronized long length() {
        return baseLength;
    }

    @Override
    public int sliceSize() {
        return -1;
    }

    @Override
    public boolean isSliced() {
        return false;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public File getFile() {
        return base.getFile();
    }

    @Override
    public boolean getFileLocked() {
        return base.getFileLocked();
    }

    private void write(long offset, byte[] src, int srcPos, int size) {
        while (size > 0) {
            long page = offset / PAGE_SIZE;
            int inPage = (int) (offset % PAGE_SIZE);
            int n = Math.min(size, PAGE_SIZE - inPage);
            byte[] bytes = dirty.computeIfAbsent(page, this::loadCommittedPage);
            System.arraycopy(src, srcPos, bytes, inPage, n);
            offset += n;
            srcPos += n;
            size -= n;
        }
    }

    private void read(long offset, byte[] dst, int dstPos, int size) {
        while (size > 0) {
            long page = offset / PAGE_SIZE;
            int inPage = (int) (offset % PAGE_SIZE);
            int n = Math.min(size, PAGE_SIZE - inPage);
            byte[] bytes = dirty.get(page);
            if (bytes == null) {
                bytes = committed.get(page);
            }
            if (bytes != null) {
                System.arraycopy(bytes, inPage, dst, dstPos, n);
            } else {
                readBase(offset, dst, dstPos, n);
            }
            offset += n;
            dstPos += n;
            size -= n;
        }
    }

    /**
     * The {@code size} bytes at {@code offset} can be read from the store file directly: no dirty
     * and no committed pages in memory, and the bytes lie within one slice of the file.
     */
    private boolean inFileOnly(long offset, int size) {
        return dirty.isEmpty() && committed.isEmpty()
                && (baseSliceShift == 0 || offset >>> baseSliceShift == (offset + size - 1) >>> baseSliceShift);
    }

    private byte[] loadCommittedPage(long page) {
        byte[] bytes = committed.get(page);
        return bytes != null ? bytes.clone() : loadPage(page);
    }

    private byte[] loadPage(long page) {
        byte[] bytes = new byte[PAGE_SIZE];
        readBase(page * PAGE_SIZE, bytes, 0, PAGE_SIZE);
        return bytes;
    }

    /** Reads from the store file; bytes past its end read as zeros (the file only grows). */
    private void readBase(long offset, byte[] dst, int dstPos, int size) {
        long available = baseLength - offset;
        int fromFile = (int) Math.max(0, Math.min(size, available));
        if (fromFile > 0) {
            base.getData(offset, dst, dstPos, fromFile);
        }
        Arrays.fill(dst, dstPos + fromFile, dstPos + size, (byte) 0);
    }
}
