package io.kvorum.storage;

/**
 * What a hint store did since it was opened (not persisted across restarts; the pending counts
 * are).
 *
 * @param stored hints stored for a new (target, key)
 * @param coalesced hints merged into an existing (target, key)
 * @param delivered hints removed after delivery ({@link HintStore#remove} that deleted)
 * @param expired hints dropped because they outlived the hint window ({@link HintStore#expire})
 * @param refusedFull hints refused because the store was full ({@link HintStoreFullException})
 */
public record HintStats(long stored, long coalesced, long delivered, long expired, long refusedFull) {
    public static final HintStats ZERO = new HintStats(0, 0, 0, 0, 0);

    HintStats plus(HintStats other) {
        return new HintStats(stored + other.stored, coalesced + other.coalesced, delivered + other.delivered,
                expired + other.expired, refusedFull + other.refusedFull);
    }
}
