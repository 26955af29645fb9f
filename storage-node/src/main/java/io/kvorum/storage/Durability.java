package io.kvorum.storage;

/** When a write is acknowledged relative to the fsync of MapDB's write-ahead log. */
public enum Durability {
    /** Acknowledge only after the batch holding the write is committed and synced (the default). */
    SYNC,
    /** Acknowledge once applied; a background commit runs at most every few milliseconds. */
    PERIODIC
}
