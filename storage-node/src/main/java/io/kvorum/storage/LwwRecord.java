package io.kvorum.storage;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A key in an {@code lww} bucket: one value, the one with the highest hybrid logical clock
 * stamp. {@code clock} is carried for format stability and may stay empty; merges join it.
 */
public record LwwRecord(Sibling value, VersionVector clock) implements KeyRecord {
    public LwwRecord {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(clock, "clock");
    }

    public static LwwRecord of(Sibling value) {
        return new LwwRecord(value, VersionVector.empty());
    }

    /** The record with the higher stamp; clocks are merged. */
    LwwRecord max(LwwRecord other) {
        LwwRecord winner;
        int cmp = value.stamp().compareTo(other.value.stamp());
        if (cmp != 0) {
            winner = cmp > 0 ? this : other;
        } else if (value.equals(other.value)) {
            winner = this;
        } else {
            // Equal stamps on different values cannot come from correct clocks (the stamp holds the
            // node id); pick deterministically so that merge stays commutative anyway.
            winner = Arrays.compareUnsigned(RecordCodec.encode(of(value)), RecordCodec.encode(of(other.value))) >= 0
                    ? this : other;
        }
        VersionVector mergedClock = clock.merge(other.clock);
        if (mergedClock.equals(winner.clock)) {
            return winner;
        }
        return new LwwRecord(winner.value, mergedClock);
    }

    @Override
    public List<Sibling> siblings() {
        return List.of(value);
    }

    @Override
    public VersionVector context() {
        return clock;
    }
}
