package io.kvorum.system.linearizability;

import java.time.Duration;
import java.util.Objects;

/**
 * How much work a check may do before it gives up with {@link Verdict#UNKNOWN}. The search is
 * exponential in the worst case (many concurrent writes and indeterminate operations), so a
 * system test bounds it rather than hang.
 *
 * <p>Each explored state is remembered, typically in 100 to 200 bytes, so {@code maxStatesPerKey}
 * also bounds memory. For scale: a 10,000-operation history of one key with 5% of its operations
 * indeterminate takes some tens of thousands of states to accept, and a few hundred thousand to
 * refute.
 *
 * @param maxStatesPerKey distinct search states one key's search may explore
 * @param timeLimit       wall time for the whole check, all keys together
 */
public record Budget(long maxStatesPerKey, Duration timeLimit) {
    /** A million states per key and thirty seconds: generous for a system test's history. */
    public static final Budget DEFAULT = new Budget(1_000_000, Duration.ofSeconds(30));

    public Budget {
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (maxStatesPerKey <= 0) {
            throw new IllegalArgumentException("maxStatesPerKey must be positive: " + maxStatesPerKey);
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive: " + timeLimit);
        }
    }

    /** At most {@code maxStatesPerKey} states per key, and the default time limit. */
    public static Budget states(long maxStatesPerKey) {
        return new Budget(maxStatesPerKey, DEFAULT.timeLimit());
    }

    /** At most {@code timeLimit} for the whole check, and the default number of states per key. */
    public static Budget time(Duration timeLimit) {
        return new Budget(DEFAULT.maxStatesPerKey(), timeLimit);
    }
}
