package io.kvorum.storage.paxos;

import io.kvorum.ring.HlcTimestamp;
import java.util.Objects;

/**
 * A Paxos ballot: a hybrid logical clock timestamp taken by the proposing coordinator. The node id
 * inside the timestamp makes ballots of different proposers distinct, and a node's clock never
 * issues the same timestamp twice, so ballots are unique per key; their order is the timestamp
 * order (wall time, logical counter, node id), a total order.
 */
public record Ballot(HlcTimestamp stamp) implements Comparable<Ballot> {
    public Ballot {
        Objects.requireNonNull(stamp, "stamp");
    }

    public static Ballot of(long wallMillis, int logical, String nodeId) {
        return new Ballot(new HlcTimestamp(wallMillis, logical, nodeId));
    }

    /** The node that proposed with this ballot. */
    public String proposer() {
        return stamp.nodeId();
    }

    @Override
    public int compareTo(Ballot other) {
        return stamp.compareTo(other.stamp);
    }

    public boolean isAfter(Ballot other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return "Ballot[" + stamp.wallMillis() + "." + stamp.logical() + "@" + stamp.nodeId() + "]";
    }
}
