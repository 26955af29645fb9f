package io.kvorum.storage;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.mapdb.DataInput2;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.Volume;

/**
 * The in-memory volumes of MapDB's write-ahead log files, reused from one commit to the next.
 *
 * <p>MapDB 3.1.0's {@code WriteAheadLog} starts a new log file for every transaction and destroys
 * it at the commit; each file is a volume in 1 MiB slices (the log places records so that none
 * crosses a 1 MiB boundary, so the slices cannot be smaller). A fresh {@link ByteArrayVol} per
 * commit therefore allocated and zeroed 1 MiB per commit: under a write load that was about 4% of
 * a node's CPU in the allocator's {@code memset} alone, and most of its young-generation garbage
 * (see docs/benchmarks.md). Here a closed log volume goes back to a small pool after the bytes it
 * was written are zeroed again, so the next commit gets a volume that reads exactly like a new one;
 * a volume that grew past one slice (a transaction over 1 MiB) is dropped instead, to keep the
 * pool's memory bounded. A volume's content is never used after its close: reading or writing it
 * then fails.
 */
final class WalVolumes {
    /** Volumes kept for reuse at most; the log holds one at a time unless a transaction passes 16 MiB. */
    static final int POOL_SIZE = 2;

    private final int sliceShift;
    private final ArrayDeque<ByteArrayVol> pool = new ArrayDeque<>();
    private long created;

    WalVolumes(int sliceShift) {
        this.sliceShift = sliceShift;
    }

    /** A log volume that reads as all zeros, as a new {@link ByteArrayVol} does. */
    Volume open(long initSize) {
        ByteArrayVol vol;
        synchronized (this) {
            vol = pool.pollFirst();
            if (vol == null) {
                created++;
            }
        }
        if (vol == null) {
            vol = new ByteArrayVol(sliceShift, initSize);
        }
        Lease lease = new Lease(vol);
        if (initSize > 0) {
            lease.ensureAvailable(initSize);
        }
        return lease;
    }

    /** How many underlying volumes were ever allocated (the rest of the opens were reuses). */
    synchronized long created() {
        return created;
    }

    private void release(ByteArrayVol vol, long available, long written) {
        long sliceSize = 1L << sliceShift;
        if (available > sliceSize || written > sliceSize) {
            vol.close();
            return;
        }
        if (written > 0) {
            vol.clear(0, written); // within the one slice
        }
        synchronized (this) {
            if (pool.size() < POOL_SIZE) {
                pool.addFirst(vol);
                return;
            }
        }
        vol.close();
    }

    /** One use of a pooled volume: remembers how far it was written, so only that is zeroed again. */
    private final class Lease extends ForwardingVolume {
        private final ByteArrayVol vol;
        private long written;
        private long available;

        Lease(ByteArrayVol vol) {
            super(vol);
            this.vol = vol;
        }

        @Override
        Volume delegate() {
            if (isClosed()) {
                throw new IllegalStateException("write-ahead log volume used after close");
            }
            return vol;
        }

        @Override
        public void ensureAvailable(long offset) {
            delegate().ensureAvailable(offset);
            available = Math.max(available, offset);
        }

        private void wrote(long offset, long size) {
            written = Math.max(written, offset + size);
        }

        @Override
        public void putLong(long offset, long value) {
            delegate().putLong(offset, value);
            wrote(offset, 8);
        }

        @Override
        public void putInt(long offset, int value) {
            delegate().putInt(offset, value);
            wrote(offset, 4);
        }

        @Override
        public void putByte(long offset, byte value) {
            delegate().putByte(offset, value);
            wrote(offset, 1);
        }

        @Override
        public void putData(long offset, byte[] src, int srcPos, int srcSize) {
            delegate().putData(offset, src, srcPos, srcSize);
            wrote(offset, srcSize);
        }

        @Override
        public void putData(long offset, ByteBuffer buf) {
            int size = buf.remaining();
            delegate().putData(offset, buf);
            wrote(offset, size);
        }

        // ByteArrayVol splits these at its slice boundaries itself; Volume's defaults would not
        @Override
        public void putDataOverlap(long offset, byte[] src, int srcPos, int srcSize) {
            delegate().putDataOverlap(offset, src, srcPos, srcSize);
            wrote(offset, srcSize);
        }

        @Override
        public DataInput2 getDataInputOverlap(long offset, int size) {
            return delegate().getDataInputOverlap(offset, size);
        }

        @Override
        public void copyTo(long inputOffset, Volume target, long targetOffset, long size) {
            delegate().copyTo(inputOffset, target, targetOffset, size);
        }

        @Override
        public void clear(long startOffset, long endOffset) {
            delegate().clear(startOffset, endOffset);
        }

        @Override
        public java.io.File getFile() {
            return null; // in memory; MapDB asks after the close, to delete the log file
        }

        @Override
        public boolean getFileLocked() {
            return false;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(vol, available, written);
            }
        }
    }
}
