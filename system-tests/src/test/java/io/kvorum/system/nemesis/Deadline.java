package io.kvorum.system.nemesis;

import java.time.Duration;

/** A point in monotonic time by which a scenario must be done. */
public record Deadline(long startNanos, Duration budget) {
    public static Deadline startingNow(Duration budget) {
        return new Deadline(System.nanoTime(), budget);
    }

    /** What is left, never negative. */
    public Duration remaining() {
        Duration left = budget.minusNanos(System.nanoTime() - startNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean expired() {
        return remaining().isZero();
    }

    /** The smaller of {@code d} and what is left: a bound for one wait inside the scenario. */
    public Duration atMost(Duration d) {
        Duration left = remaining();
        return left.compareTo(d) < 0 ? left : d;
    }
}
