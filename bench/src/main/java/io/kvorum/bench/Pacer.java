package io.kvorum.bench;

/**
 * When the next operation is meant to start. Unthrottled, an operation is due as soon as a slot is
 * free and its intended start is "now". At a target rate the intended starts are fixed in advance
 * (start, start + 1/rate, ...), whatever the server does; latency measured from the intended start
 * includes the time an operation waited for a free slot, which corrects for coordinated omission
 * (the wrk2 approach). Pure: the caller passes the clock reading. Not thread-safe: one per driver.
 */
public final class Pacer {
    private final long startNanos;
    private final double intervalNanos;
    private long taken;

    private Pacer(long startNanos, double intervalNanos) {
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
    }

    public static Pacer unthrottled() {
        return new Pacer(0, 0);
    }

    public static Pacer atRate(double perSecond, long startNanos) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + perSecond);
        }
        return new Pacer(startNanos, 1e9 / perSecond);
    }

    public boolean throttled() {
        return intervalNanos > 0;
    }

    /** The intended start of the next operation. */
    public long nextIntendedStart(long nowNanos) {
        return throttled() ? startNanos + (long) (taken * intervalNanos) : nowNanos;
    }

    public boolean isDue(long nowNanos) {
        return nextIntendedStart(nowNanos) <= nowNanos;
    }

    /** Takes the next operation's intended start. */
    public long take(long nowNanos) {
        long intended = nextIntendedStart(nowNanos);
        taken++;
        return intended;
    }
}
