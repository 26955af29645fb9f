package io.kvorum.ring;

/**
 * Injected time. The pure cores never read the system clock; they take a {@code Clock} (or a
 * {@code now} value) from their caller so that tests and fault scenarios are reproducible.
 */
public interface Clock {
    /** Wall-clock time in milliseconds since the epoch. */
    long millis();

    /** Monotonic time in nanoseconds, for measuring intervals only. */
    long nanos();

    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
