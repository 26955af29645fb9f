package io.kvorum.node.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of client values this node is holding at once (received, not yet answered), against a
 * limit ({@code maxInFlightValueBytes}): a burst of large writes is refused with 503 instead of
 * filling the heap. Shared by every event loop; lock-free.
 */
public final class InFlightBytes {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit the most bytes held at once; positive */
    public InFlightBytes(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the in-flight value limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes {@code bytes} from the budget if they fit, or if nothing else is held (so that one
     * value always gets through, whatever its size); false, taking nothing, otherwise.
     */
    public boolean tryAcquire(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        while (true) {
            long now = used.get();
            if (now > 0 && now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back {@code bytes} taken by {@link #tryAcquire}. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** The bytes held now. */
    public long used() {
        return used.get();
    }

    /** The limit. */
    public long limit() {
        return limit;
    }
}
