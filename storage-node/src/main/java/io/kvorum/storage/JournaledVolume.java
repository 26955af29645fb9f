package io.kvorum.storage;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.mapdb.DBException;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * The MapDB volume of the store file, made crash-safe by a physical redo journal
 * ({@link StoreJournal}). Writes are held as dirty pages in memory until {@link #sync()}, which
 * MapDB's {@code StoreDirect} calls exactly once at the end of each {@code commit()}: the
 * {@link #CHUNK_SIZE}-byte chunks of the pages that commit changed are appended to the journal,
 * which is synced (one {@code fdatasync} per commit: this is what makes the commit durable). The
 * pages are not written into the store file yet: they stay in memory as committed pages, and a
 * <em>checkpoint</em> writes all of them in place, syncs the store file and restarts the journal
 * once the journal, or the committed pages, hold {@code checkpointBytes}, and on close. A commit
 * thus costs one sync instead of two, journals a fraction of the pages it touches, and a page that
 * many commits rewrite (MapDB rewrites its index page on every commit) is written in place once
 * per checkpoint. After a crash, replaying the journal's intact commits in order onto the store
 * file as of the last checkpoint rebuilds the committed state ({@link StoreJournal#recoverInto}).
 * Reads see dirty pages, then committed ones, then the file. Used by one thread at a time: the
 * store's owner (the engine's writer thread), or a thread holding the lock the owner
 * {@linkplain #shareWith shares} it under (a read served on its caller's thread), so none of its
 * calls takes a lock of its own: MapDB makes millions of them a second (its header checksum alone
 * is 8,210 {@code getInt}s per commit). A background checkpointer only writes a snapshot of
 * committed pages into the base volume; the owner applies its completion.
 *
 * <p>The base volume, the store file itself, is a {@link MappedStoreVolume} or a
 * {@code FileChannelVol} ({@link StoreIo}); either way it is written only at checkpoints. Its
 * length is kept here rather than asked for on every read ({@code length()} is a system call for
 * both), and reads that would cross one of its slices are split into pages.
 */
final class JournaledVolume extends Volume {
    static final int PAGE_SIZE = 4096;
    /**
     * The journal's unit: a commit journals the chunks of its pages that it changed, not whole
     * pages (a commit of a few small records changes a small part of each page it touches).
     */
    static final int CHUNK_SIZE = 128;
    /** Journal size, and size of the committed pages held in memory, at which they are checkpointed into the store file. */
    static final long DEFAULT_CHECKPOINT_BYTES = 8L << 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /**
     * A page changed since the last commit, and which of its chunks changed (bit i: chunk i). Its
     * bytes are either its own copy, or the committed page's own array changed in place: then
     * {@code undo} keeps each chunk as it was before its first change, so that a commit that never
     * reaches {@link #sync()} can be taken back ({@link #undo()}).
     */
    private static final class DirtyPage {
        final byte[] bytes;
        final byte[][] undo; // null: bytes is this page's own copy
        long chunks;

        DirtyPage(byte[] bytes, boolean committedInPlace) {
            this.bytes = bytes;
            this.undo = committedInPlace ? new byte[PAGE_SIZE / CHUNK_SIZE][] : null;
        }

        /** Called before the bytes change. */
        void changed(int inPage, int size) {
            int first = inPage / CHUNK_SIZE;
            int last = (inPage + size - 1) / CHUNK_SIZE;
            long range = (last == 63 ? -1L : (1L << (last + 1)) - 1) & (-1L << first);
            if (undo != null) {
                for (long fresh = range & ~chunks; fresh != 0; fresh &= fresh - 1) {
                    int chunk = Long.numberOfTrailingZeros(fresh);
                    undo[chunk] = Arrays.copyOfRange(bytes, chunk * CHUNK_SIZE, (chunk + 1) * CHUNK_SIZE);
                }
            }
            chunks |= range;
        }

        /** Puts back what the committed page held (only for a page changed in place). */
        void undo() {
            if (undo != null) {
                for (long bits = chunks; bits != 0; bits &= bits - 1) {
                    int chunk = Long.numberOfTrailingZeros(bits);
                    System.arraycopy(undo[chunk], 0, bytes, chunk * CHUNK_SIZE, CHUNK_SIZE);
                }
            }
        }
    }

    private final Volume base;
    private final int baseSliceShift; // 0: the base is not sliced
    private final StoreJournal[] journals; // the active one, and in the background mode a spare
    private int active;
    private final Executor checkpointer; // null: checkpoints run inside sync()
    private LongMap<byte[]> checkpointing; // pages a background checkpoint is writing; null when none is
    private CompletableFuture<Void> checkpointDone; // completed by the checkpointer, applied by the owner
    private Throwable checkpointFailure;
    private final long checkpointBytes;
    private final long committedBytes;
    // hash maps, not sorted ones: MapDB reads and writes a few bytes at a time, thousands of times a commit
    private final LongMap<DirtyPage> dirty = new LongMap<>(); // page number -> page, not committed yet
    private final LongMap<byte[]> committed = new LongMap<>(); // journaled, not yet in the store file
    // the last page looked up, and what pageInMemory found for it (null: the file has it): MapDB reads
    // runs of longs and ints from one page, e.g. its whole header for the checksum at every commit
    private long lastPage = -1;
    private byte[] lastPageBytes;
    private long baseLength; // the store file's length: only ensureAvailable, truncate and checkpoints change it
    private long sequence;
    private long syncs;
    private long checkpoints;
    private volatile ReentrantLock sharedWith; // see shareWith
    private volatile Runnable forceHook; // tests only

    /**
     * Checkpoints when the journal or the committed pages in memory reach {@code checkpointBytes};
     * with 0 every commit is checkpointed at once (two syncs per commit).
     */
    JournaledVolume(Volume base, StoreJournal journal, long checkpointBytes) {
        this(base, journal, checkpointBytes, checkpointBytes);
    }

    /** As {@link #JournaledVolume(Volume, StoreJournal, long)}, with a separate bound on the committed pages' bytes. */
    JournaledVolume(Volume base, StoreJournal journal, long checkpointBytes, long committedBytes) {
        this(base, journal, null, checkpointBytes, committedBytes, null);
    }

    /**
     * With a spare journal and an executor, checkpoints run in the background: when one is due,
     * the committed pages are handed to {@code checkpointer} to be written and synced, and the
     * following commits go to the other journal meanwhile, so the writer does not wait for the
     * store file's sync. The journal a checkpoint covers is reused only after that checkpoint
     * completed; if the committed pages reach twice their bound while one runs, the commit waits
     * for it. Recovery replays both journals, older commits first
     * ({@link StoreJournal#recoverInto(Path, StoreJournal...)}).
     */
    JournaledVolume(Volume base, StoreJournal journal, StoreJournal spare, long checkpointBytes, long committedBytes,
                    Executor checkpointer) {
        if ((spare == null) != (checkpointer == null)) {
            throw new IllegalArgumentException("a background checkpoint needs both a spare journal and an executor");
        }
        this.base = base;
        this.baseSliceShift = base.isSliced() ? Integer.numberOfTrailingZeros(base.sliceSize()) : 0;
        if (baseSliceShift != 0 && (base.sliceSize() != 1 << baseSliceShift || base.sliceSize() < PAGE_SIZE)) {
            throw new IllegalArgumentException("slices of " + base.sliceSize() + " bytes");
        }
        this.journals = spare == null ? new StoreJournal[] {journal} : new StoreJournal[] {journal, spare};
        this.checkpointer = checkpointer;
        this.checkpointBytes = checkpointBytes;
        this.committedBytes = committedBytes;
        this.baseLength = base.length();
    }

    /** How many commits went through the journal. */
    long journaledSyncs() {
        return syncs;
    }

    /** How many times committed pages were written into the store file and synced. */
    long checkpoints() {
        return checkpoints;
    }

    @Override
    public void sync() {
        if (checkpointing != null && checkpointDone.isDone()) {
            finishCheckpoint();
        }
        if (checkpointFailure != null) { // the store file may lack committed pages: stop committing
            throw new DBException.VolumeIOError("a background checkpoint failed", checkpointFailure);
        }
        if (dirty.isEmpty()) {
            return;
        }
        long[] pages = dirty.sortedKeys();
        int chunks = 0;
        for (long page : pages) {
            chunks += Long.bitCount(dirty.get(page).chunks);
        }
        try {
            journal().write(++sequence, CHUNK_SIZE, chunks, sink -> { // in file order, straight from the pages
                for (long page : pages) {
                    DirtyPage d = dirty.get(page);
                    for (long bits = d.chunks; bits != 0; bits &= bits - 1) {
                        int from = Long.numberOfTrailingZeros(bits) * CHUNK_SIZE;
                        sink.page(page * PAGE_SIZE + from, d.bytes, from);
                    }
                }
            });
            forceJournal();
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        }
        dirty.forEach((page, d) -> committed.put(page, d.bytes));
        dirty.clear();
        syncs++;
        long held = (long) committed.size() * PAGE_SIZE;
        if (journal().size() < checkpointBytes && held < committedBytes) {
            return;
        }
        if (checkpointer == null) {
            checkpoint();
        } else if (checkpointing == null) {
            startCheckpoint();
        } else if (twice(held, committedBytes) || twice(journal().size(), checkpointBytes)) {
            awaitCheckpoint(); // back-pressure: memory and the journal stay bounded
            startCheckpoint();
        }
    }

    private StoreJournal journal() {
        return journals[active];
    }

    /**
     * Syncs the journal; if the calling thread holds the lock this volume is {@linkplain #shareWith
     * shared with}, without it, so that the store can be read meanwhile. Nothing changes here
     * during the sync: the commit's pages stay dirty until it returns.
     */
    private void forceJournal() throws IOException {
        ReentrantLock lock = sharedWith;
        if (lock == null || !lock.isHeldByCurrentThread()) {
            beforeForce();
            journal().force();
            return;
        }
        int holds = lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        try {
            beforeForce();
            journal().force();
        } finally {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
        }
    }

    private void beforeForce() {
        Runnable hook = forceHook;
        if (hook != null) {
            hook.run();
        }
    }

    /** For tests: runs right before each journal sync (without the shared lock). */
    void forceHook(Runnable hook) {
        this.forceHook = hook;
    }

    /**
     * Lets other threads use this volume while they hold {@code lock}: the owner holds it whenever
     * it uses the volume, and releases it while a commit waits for the journal's sync.
     */
    void shareWith(ReentrantLock lock) {
        this.sharedWith = lock;
    }

    private static boolean twice(long value, long bound) {
        return value >= bound && value - bound >= bound;
    }

    /**
     * Writes every committed page in place, syncs the store file, then restarts the journal
     * (the restart itself need not be synced: see {@link StoreJournal#restart}).
     */
    private void checkpoint() {
        if (committed.isEmpty()) {
            return;
        }
        long[] pages = committed.sortedKeys();
        growBase((pages[pages.length - 1] + 1) * PAGE_SIZE); // a mapped file cannot be written past its end
        for (long page : pages) { // in file order
            byte[] bytes = committed.get(page);
            base.putData(page * PAGE_SIZE, bytes, 0, bytes.length);
        }
        base.sync();
        committed.clear();
        forgetLastPage();
        checkpoints++;
        journal().restart();
    }

    /**
     * Hands the committed pages to the checkpointer and switches to the other journal (its commits
     * were checkpointed by the previous checkpoint, which has completed). The arrays it hands over
     * do not change while it runs (a write to one of them copies it first: {@link #dirtyPage}), so
     * the checkpointer reads them as they are.
     */
    private void startCheckpoint() {
        if (committed.isEmpty()) {
            return;
        }
        LongMap<byte[]> pages = new LongMap<>(committed);
        long[] order = pages.sortedKeys();
        growBase((order[order.length - 1] + 1) * PAGE_SIZE); // here: it changes baseLength
        CompletableFuture<Void> done = new CompletableFuture<>();
        checkpointing = pages;
        checkpointDone = done;
        active = 1 - active;
        journal().restart();
        try {
            checkpointer.execute(() -> writeCheckpoint(pages, order, done));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            finishCheckpoint();
            throw new DBException.VolumeIOError("cannot start a background checkpoint", e);
        }
    }

    /** On the checkpointer: writes the pages into the store file and syncs it; touches nothing else here. */
    private void writeCheckpoint(LongMap<byte[]> pages, long[] order, CompletableFuture<Void> done) {
        try {
            for (long page : order) {
                byte[] bytes = pages.get(page);
                base.putData(page * PAGE_SIZE, bytes, 0, bytes.length);
            }
            base.sync();
            done.complete(null);
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
    }

    /** On the owner, once the checkpoint is done: its pages leave memory unless a newer commit replaced them. */
    private void finishCheckpoint() {
        try {
            checkpointDone.join();
            checkpointing.forEach(committed::remove);
            forgetLastPage();
            checkpoints++;
        } catch (CompletionException | CancellationException e) {
            checkpointFailure = e.getCause() != null ? e.getCause() : e;
        } finally {
            checkpointing = null;
            checkpointDone = null;
        }
    }

    /** Waits until no background checkpoint runs, and applies the one that ran. */
    private void awaitCheckpoint() {
        if (checkpointing != null) {
            finishCheckpoint(); // its join() waits, uninterruptibly
        }
        if (checkpointFailure != null) {
            throw new DBException.VolumeIOError("a background checkpoint failed", checkpointFailure);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dirty.forEach((page, d) -> d.undo()); // changes of a commit that never reached sync() are
        dirty.clear();                        // abandoned, like MapDB's own
        forgetLastPage();
        try {
            awaitCheckpoint();
            checkpoint();
            for (StoreJournal j : journals) {
                j.clear(); // everything is in the store file: nothing to replay at the next open
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
            IOException failed = null;
            for (StoreJournal j : journals) {
                try {
                    j.close();
                } catch (IOException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw new DBException.VolumeIOError(failed);
            }
        }
    }

    // ---- writes go to dirty pages ----

    @Override
    public void putLong(long offset, long value) {
        if (withinPage(offset, 8)) {
            LONGS.set(dirtyPage(offset / PAGE_SIZE, (int) (offset % PAGE_SIZE), 8), (int) (offset % PAGE_SIZE), value);
        } else {
            write(offset, ByteBuffer.allocate(8).putLong(value).array(), 0, 8);
        }
    }

    @Override
    public void putInt(long offset, int value) {
        if (withinPage(offset, 4)) {
            INTS.set(dirtyPage(offset / PAGE_SIZE, (int) (offset % PAGE_SIZE), 4), (int) (offset % PAGE_SIZE), value);
        } else {
            write(offset, ByteBuffer.allocate(4).putInt(value).array(), 0, 4);
        }
    }

    @Override
    public void putByte(long offset, byte value) {
        dirtyPage(offset / PAGE_SIZE, (int) (offset % PAGE_SIZE), 1)[(int) (offset % PAGE_SIZE)] = value;
    }

    @Override
    public void putData(long offset, byte[] src, int srcPos, int srcSize) {
        write(offset, src, srcPos, srcSize);
    }

    @Override
    public void putData(long offset, ByteBuffer buf) {
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        write(offset, bytes, 0, bytes.length);
    }

    @Override
    public void clear(long startOffset, long endOffset) {
        byte[] zeros = new byte[PAGE_SIZE];
        long offset = startOffset;
        while (offset < endOffset) {
            int n = (int) Math.min(PAGE_SIZE, endOffset - offset);
            write(offset, zeros, 0, n);
            offset += n;
        }
    }

    @Override
    public void ensureAvailable(long offset) {
        growBase(offset); // growing the file is harmless: MapDB's header says what is in use
    }

    private void growBase(long offset) {
        base.ensureAvailable(offset);
        if (offset > baseLength) {
            baseLength = base.length();
        }
    }

    @Override
    public void truncate(long size) {
        awaitCheckpoint(); // the checkpointer writes the file unlocked
        long firstGone = (size + PAGE_SIZE - 1) / PAGE_SIZE;
        dirty.removeIf(page -> page >= firstGone);
        committed.removeIf(page -> page >= firstGone);
        forgetLastPage();
        if (size % PAGE_SIZE != 0) {
            DirtyPage d = dirty.get(size / PAGE_SIZE);
            if (d != null) {
                d.changed((int) (size % PAGE_SIZE), PAGE_SIZE - (int) (size % PAGE_SIZE));
                Arrays.fill(d.bytes, (int) (size % PAGE_SIZE), PAGE_SIZE, (byte) 0);
            }
            byte[] straddling = committed.get(size / PAGE_SIZE);
            if (straddling != null) {
                Arrays.fill(straddling, (int) (size % PAGE_SIZE), PAGE_SIZE, (byte) 0);
            }
        }
        base.truncate(size);
        baseLength = base.length();
    }

    // ---- reads see dirty pages ----

    // Reads within one page (nearly all) look that page up once: in memory they read it in place,
    // otherwise they read the store file directly (a page never crosses one of the file's slices).

    @Override
    public long getLong(long offset) {
        if (withinPage(offset, 8)) {
            byte[] page = pageInMemory(offset / PAGE_SIZE);
            if (page != null) {
                return (long) LONGS.get(page, (int) (offset % PAGE_SIZE));
            }
            if (inFile(offset, 8)) {
                return base.getLong(offset);
            }
        }
        byte[] b = new byte[8];
        read(offset, b, 0, 8);
        return ByteBuffer.wrap(b).getLong();
    }

    @Override
    public int getInt(long offset) {
        if (withinPage(offset, 4)) {
            byte[] page = pageInMemory(offset / PAGE_SIZE);
            if (page != null) {
                return (int) INTS.get(page, (int) (offset % PAGE_SIZE));
            }
            if (inFile(offset, 4)) {
                return base.getInt(offset);
            }
        }
        byte[] b = new byte[4];
        read(offset, b, 0, 4);
        return ByteBuffer.wrap(b).getInt();
    }

    @Override
    public byte getByte(long offset) {
        byte[] page = pageInMemory(offset / PAGE_SIZE);
        if (page != null) {
            return page[(int) (offset % PAGE_SIZE)];
        }
        if (inFile(offset, 1)) {
            return base.getByte(offset);
        }
        byte[] b = new byte[1];
        read(offset, b, 0, 1);
        return b[0];
    }

    @Override
    public DataInput2 getDataInput(long offset, int size) {
        if (size > 0 && fromFile(offset, size)) {
            return base.getDataInput(offset, size);
        }
        byte[] b = new byte[size];
        read(offset, b, 0, size);
        return new DataInput2.ByteArray(b);
    }

    @Override
    public void getData(long offset, byte[] bytes, int bytesPos, int size) {
        if (size > 0 && fromFile(offset, size)) {
            base.getData(offset, bytes, bytesPos, size);
            return;
        }
        read(offset, bytes, bytesPos, size);
    }

    @Override
    public long getSixLong(long offset) {
        return fromFile(offset, 6) ? base.getSixLong(offset) : super.getSixLong(offset);
    }

    @Override
    public long getPackedLong(long offset) {
        return fromFile(offset, 10) ? base.getPackedLong(offset) : super.getPackedLong(offset);
    }

    @Override
    public int getUnsignedShort(long offset) {
        return fromFile(offset, 2) ? base.getUnsignedShort(offset) : super.getUnsignedShort(offset);
    }

    @Override
    public int getUnsignedByte(long offset) {
        return fromFile(offset, 1) ? base.getUnsignedByte(offset) : super.getUnsignedByte(offset);
    }

    @Override
    public long length() {
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
            System.arraycopy(src, srcPos, dirtyPage(page, inPage, n), inPage, n);
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
            byte[] bytes = pageInMemory(page);
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

    private static boolean withinPage(long offset, int size) {
        return offset / PAGE_SIZE == (offset + size - 1) / PAGE_SIZE;
    }

    /** The page as this volume holds it in memory, dirty or committed; null if only the file has it. */
    private byte[] pageInMemory(long page) {
        if (page == lastPage) {
            return lastPageBytes;
        }
        DirtyPage d = dirty.get(page);
        byte[] bytes = d != null ? d.bytes : committed.get(page);
        lastPage = page;
        lastPageBytes = bytes;
        return bytes;
    }

    /** Forgets the last page looked up (pages left memory, or a page's bytes were replaced). */
    private void forgetLastPage() {
        lastPage = -1;
        lastPageBytes = null;
    }

    /**
     * The page to write {@code size} bytes into at {@code inPage}, marked as changed there: the
     * dirty page, made now if needed. A committed page is changed in place (its chunks kept for an
     * undo), unless a background checkpoint is writing that very array: then it is copied. A page
     * only the file has is read from it.
     */
    private byte[] dirtyPage(long page, int inPage, int size) {
        DirtyPage d = dirty.get(page);
        if (d == null) {
            byte[] held = committed.get(page);
            if (held == null) {
                d = new DirtyPage(loadPage(page), false);
            } else if (checkpointing != null && checkpointing.get(page) == held) {
                d = new DirtyPage(held.clone(), false);
            } else {
                d = new DirtyPage(held, true);
            }
            dirty.put(page, d);
            lastPage = page;
            lastPageBytes = d.bytes;
        }
        d.changed(inPage, size);
        return d.bytes;
    }

    /** The bytes lie within the store file and within one of its slices. */
    private boolean inFile(long offset, int size) {
        return offset + size <= baseLength
                && (baseSliceShift == 0 || offset >>> baseSliceShift == (offset + size - 1) >>> baseSliceShift);
    }

    /** The bytes can be read from the store file directly: none of their pages is in memory, and they are in the file. */
    private boolean fromFile(long offset, int size) {
        for (long page = offset / PAGE_SIZE, last = (offset + size - 1) / PAGE_SIZE; page <= last; page++) {
            if (pageInMemory(page) != null) {
                return false;
            }
        }
        return inFile(offset, size);
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
