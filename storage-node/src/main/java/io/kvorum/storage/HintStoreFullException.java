package io.kvorum.storage;

/**
 * A hint for a new (target, key) was refused because the hint store already holds its maximum
 * number of hints. Nothing was stored; hints coalescing into an existing (target, key) are still
 * accepted. The write that wanted the hint is not acknowledged by this hint (for
 * {@code consistency=ANY} it fails); anti-entropy, not handoff, repairs the target later.
 */
public final class HintStoreFullException extends RuntimeException {
    private final long maxHints;
    private final long storedHints;
    private final String target;

    public HintStoreFullException(long maxHints, long storedHints, String target) {
        super("the hint store holds " + storedHints + " hints, its limit is " + maxHints
                + "; refused a new hint for node " + target);
        this.maxHints = maxHints;
        this.storedHints = storedHints;
        this.target = target;
    }

    public long maxHints() {
        return maxHints;
    }

    public long storedHints() {
        return storedHints;
    }

    /** The node the refused hint was for. */
    public String target() {
        return target;
    }
}
