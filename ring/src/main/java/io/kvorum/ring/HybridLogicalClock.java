package io.kvorum.ring;

import java.util.Objects;

/**
 * The pure hybrid logical clock rules (Kulkarni et al., "Logical Physical Clocks", 2014).
 * Physical time comes in as a parameter; nothing here reads a clock. Every result is
 * strictly greater than the timestamps it was derived from, even when physical time goes
 * backwards. In the (unreachable in practice) case of the logical counter overflowing, the
 * wall component is advanced by one millisecond instead.
 */
public final class HybridLogicalClock {
    private HybridLogicalClock() {
    }

    /** A timestamp for a local or send event; strictly greater than {@code last} (may be null). */
    public static HlcTimestamp next(HlcTimestamp last, long physicalNowMillis, String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (last == null || physicalNowMillis > last.wallMillis()) {
            return new HlcTimestamp(physicalNowMillis, 0, nodeId);
        }
        return successor(last.wallMillis(), last.logical(), nodeId);
    }

    /**
     * A timestamp for receiving {@code remote}; strictly greater than both {@code last} (may be
     * null) and {@code remote}.
     */
    public static HlcTimestamp receive(HlcTimestamp last, HlcTimestamp remote, long physicalNowMillis, String nodeId) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(nodeId, "nodeId");
        if (last == null) {
            return physicalNowMillis > remote.wallMillis()
                    ? new HlcTimestamp(physicalNowMillis, 0, nodeId)
                    : successor(remote.wallMillis(), remote.logical(), nodeId);
        }
        long wall = Math.max(Math.max(last.wallMillis(), remote.wallMillis()), physicalNowMillis);
        boolean fromLast = wall == last.wallMillis();
        boolean fromRemote = wall == remote.wallMillis();
        if (fromLast && fromRemote) {
            return successor(wall, Math.max(last.logical(), remote.logical()), nodeId);
        } else if (fromLast) {
            return successor(wall, last.logical(), nodeId);
        } else if (fromRemote) {
            return successor(wall, remote.logical(), nodeId);
        }
        return new HlcTimestamp(wall, 0, nodeId);
    }

    private static HlcTimestamp successor(long wall, int logical, String nodeId) {
        return logical == Integer.MAX_VALUE
                ? new HlcTimestamp(Math.addExact(wall, 1), 0, nodeId)
                : new HlcTimestamp(wall, logical + 1, nodeId);
    }
}
