package io.kvorum.ring;

import java.util.Comparator;
import java.util.Objects;

/**
 * A hybrid logical clock timestamp (Kulkarni et al., 2014): wall-clock milliseconds, a logical
 * counter for events within the same millisecond, and the id of the node that issued it, which
 * breaks ties so that two timestamps from different nodes are never equal.
 */
public record HlcTimestamp(long wallMillis, int logical, String nodeId) implements Comparable<HlcTimestamp> {
    private static final Comparator<HlcTimestamp> ORDER = Comparator
            .comparingLong(HlcTimestamp::wallMillis)
            .thenComparingInt(HlcTimestamp::logical)
            .thenComparing(HlcTimestamp::nodeId);

    public HlcTimestamp {
        Objects.requireNonNull(nodeId, "nodeId");
        if (logical < 0) {
            throw new IllegalArgumentException("logical must be >= 0: " + logical);
        }
    }

    @Override
    public int compareTo(HlcTimestamp other) {
        return ORDER.compare(this, other);
    }

    public boolean isAfter(HlcTimestamp other) {
        return compareTo(other) > 0;
    }
}
