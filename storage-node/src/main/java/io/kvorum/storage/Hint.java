package io.kvorum.storage;

import java.util.Objects;

/**
 * A write that a node holds for another node ({@code target}, a node id) which did not take it:
 * the key, the causal value to hand over, and when the first write that the target missed for this
 * key was hinted. Hints are coalesced per (target, key): {@code record} is the merge of every
 * write hinted for the key since, so delivering it brings the target fully up to date for that key.
 */
public record Hint(String target, StorageKey key, KeyRecord record, long createdAtMillis) {
    /** Longest target node id, in UTF-8 bytes, that the hint store's key encoding can hold. */
    public static final int MAX_TARGET_BYTES = 0xFFFF;

    public Hint {
        requireValidTarget(target);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(record, "record");
    }

    /** A copy for a later write coalesced into this one: records merged, the earliest time kept. */
    public Hint coalesce(KeyRecord newer, long nowMillis) {
        return new Hint(target, key, record.merge(newer), Math.min(createdAtMillis, nowMillis));
    }

    static String requireValidTarget(String target) {
        Objects.requireNonNull(target, "target");
        if (target.isEmpty()) {
            throw new IllegalArgumentException("the hint target (a node id) must not be empty");
        }
        if (Utf8.encode(target, "hint target").length > MAX_TARGET_BYTES) {
            throw new IllegalArgumentException("hint target longer than " + MAX_TARGET_BYTES + " UTF-8 bytes");
        }
        return target;
    }
}
