package io.kvorum.storage;

/**
 * How the storage engine reads and writes its MapDB store file. Either way the file is changed
 * only at checkpoints, after the redo journal is synced, so crash safety is the same (see
 * docs/storage-durability.md).
 */
public enum StoreIo {
    /**
     * The store file is memory-mapped (the default): a read of a page that is not held in memory
     * is a memory copy from the page cache, not a system call.
     */
    MMAP,
    /** Positional {@code FileChannel} reads and writes: one {@code pread} per page read. */
    CHANNEL
}
