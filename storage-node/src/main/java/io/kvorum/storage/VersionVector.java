package io.kvorum.storage;

import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A version vector: for each server node id, how many of that node's events have been seen.
 * It is the causal context a client reads and sends back ({@code X-Kvorum-Context}).
 *
 * <p>Immutable and canonical: counters are sorted by node id and zero counters are dropped, so
 * two vectors that mean the same history are {@code equals}.
 */
public record VersionVector(SortedMap<String, Long> counters) {
    static final int FORMAT_VERSION = 1;
    private static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

    public VersionVector {
        Objects.requireNonNull(counters, "counters");
        TreeMap<String, Long> copy = new TreeMap<>();
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            String node = Objects.requireNonNull(e.getKey(), "node id");
            long counter = Objects.requireNonNull(e.getValue(), "counter");
            if (counter < 0) {
                throw new IllegalArgumentException("negative counter for " + node + ": " + counter);
            }
            if (counter > 0) {
                copy.put(node, counter);
            }
        }
        counters = Collections.unmodifiableSortedMap(copy);
    }

    public static VersionVector empty() {
        return EMPTY;
    }

    public static VersionVector of(Map<String, Long> counters) {
        return new VersionVector(new TreeMap<>(counters));
    }

    /** The counter of {@code node}, 0 if never seen. */
    public long get(String node) {
        return counters.getOrDefault(node, 0L);
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    /** Pointwise maximum. */
    public VersionVector merge(VersionVector o) {
        TreeMap<String, Long> merged = new TreeMap<>(counters);
        o.counters.forEach((node, counter) -> merged.merge(node, counter, Math::max));
        return new VersionVector(merged);
    }

    /** True if this vector has seen every event {@code o} has seen (reflexive). */
    public boolean descends(VersionVector o) {
        for (Map.Entry<String, Long> e : o.counters.entrySet()) {
            if (get(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A copy with {@code node}'s counter set to {@code counter}. */
    public VersionVector with(String node, long counter) {
        TreeMap<String, Long> copy = new TreeMap<>(counters);
        copy.put(node, counter);
        return new VersionVector(copy);
    }

    /** Compact binary form: a format-version byte, a count, then (node id, counter) pairs. */
    public byte[] encode() {
        BinaryWriter out = new BinaryWriter(2 + counters.size() * 12);
        out.writeByte(FORMAT_VERSION);
        writeTo(out);
        return out.toByteArray();
    }

    public static VersionVector decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes, "version vector");
        int version = in.readByte("format version");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown version vector format version " + version
                    + " (this node reads version " + FORMAT_VERSION + ")");
        }
        VersionVector vv = readFrom(in);
        in.requireEnd();
        return vv;
    }

    /** The opaque context token: URL-safe base64 without padding of {@link #encode()}. */
    public String toToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(encode());
    }

    /** Parses a token made by {@link #toToken()}; garbage gives an IllegalArgumentException. */
    public static VersionVector fromToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("invalid causal context token: it is empty");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid causal context token: not URL-safe base64 ("
                    + e.getMessage() + "); send back the X-Kvorum-Context value exactly as it was read", e);
        }
        try {
            return decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid causal context token: " + e.getMessage()
                    + "; send back the X-Kvorum-Context value exactly as it was read", e);
        }
    }

    void writeTo(BinaryWriter out) {
        out.writeVarLong(counters.size());
        counters.forEach((node, counter) -> {
            out.writeString(node, "node id");
            out.writeVarLong(counter);
        });
    }

    static VersionVector readFrom(BinaryReader in) {
        int count = in.readCount("version vector size");
        TreeMap<String, Long> counters = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            String node = in.readString("node id");
            long counter = in.readVarLong("counter of " + node);
            if (previous != null && previous.compareTo(node) >= 0) {
                throw in.malformed("node ids are not strictly increasing (" + previous + ", " + node + ")");
            }
            if (counter == 0) {
                throw in.malformed("zero counter for " + node);
            }
            counters.put(node, counter);
            previous = node;
        }
        return new VersionVector(counters);
    }

    @Override
    public String toString() {
        return "VersionVector" + counters;
    }
}
