package io.kvorum.ring;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thread-safe edge around {@link HybridLogicalClock}: one per node, holding the last
 * timestamp issued or observed. Physical time is read only through the injected {@link Clock}.
 */
public final class HlcGenerator {
    private final Clock clock;
    private final String nodeId;
    private final AtomicReference<HlcTimestamp> last = new AtomicReference<>();

    public HlcGenerator(Clock clock, String nodeId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    /** A fresh timestamp, strictly greater than every one issued or observed before. */
    public HlcTimestamp now() {
        long physical = clock.millis();
        return last.updateAndGet(l -> HybridLogicalClock.next(l, physical, nodeId));
    }

    /** Folds in a timestamp seen from another node, so later {@link #now()} values exceed it. */
    public void observe(HlcTimestamp remote) {
        Objects.requireNonNull(remote, "remote");
        long physical = clock.millis();
        last.updateAndGet(l -> HybridLogicalClock.receive(l, remote, physical, nodeId));
    }

    /** The last timestamp issued or observed, or null if none yet. */
    public HlcTimestamp last() {
        return last.get();
    }

    /** The id stamped on the timestamps this generator issues. */
    public String nodeId() {
        return nodeId;
    }
}
