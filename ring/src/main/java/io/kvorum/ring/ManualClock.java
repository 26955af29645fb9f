package io.kvorum.ring;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; for tests. */
public final class ManualClock implements Clock {
    private final AtomicLong millis;
    private final AtomicLong nanos = new AtomicLong();

    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    public void advanceMillis(long delta) {
        millis.addAndGet(delta);
        nanos.addAndGet(delta * 1_000_000L);
    }

    public void setMillis(long value) {
        long delta = value - millis.getAndSet(value);
        nanos.addAndGet(delta * 1_000_000L);
    }
}
