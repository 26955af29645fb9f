package io.kvorum.storage;

/**
 * How the storage engine reads and writes its MapDB store file. Either way the file is changed
 * only at checkpoints, after the redo journal is synced, so crash safety is the same (see
 * docs/storage-durability.md).
 */
public enum StoreIo {
    /**
     * The store file is memory-mapped (the default): a read of a page that is not held in memory
     * is a memory copy from the page cache, not a system call. On Linux a checkpoint writes its
     * pages with positional {@code pwrite}s into the same page cache rather than through the
     * mapping: a write through the mapping to a page that was written back since its last change
     * takes a write-protect fault (and a TLB shootdown on the other cores), which made the
     * checkpoint's copies mostly kernel time. Elsewhere it writes through the mapping.
     */
    MMAP,
    /**
     * The store file memory-mapped for reads and checkpoint writes alike (what {@link #MMAP} did
     * before it wrote with {@code pwrite}); kept to compare the two with {@code bench storage}.
     */
    MMAP_WRITES,
    /** Positional {@code FileChannel} reads and writes: one {@code pread} per page read. */
    CHANNEL
}
