package io.kvorum.node.quorum;

import java.util.Locale;

/**
 * A consistency level as a client names it on a request: ONE, TWO, THREE, QUORUM, ALL or an
 * integer. It resolves to a number of replicas once the bucket's N is known.
 */
public record ConsistencyLevel(Kind kind, int count) {

    public enum Kind { ONE, TWO, THREE, QUORUM, ALL, ANY, SERIAL, EXPLICIT }

    public static final ConsistencyLevel QUORUM = new ConsistencyLevel(Kind.QUORUM, 0);

    /** Parses a level; throws IllegalArgumentException with a message fit for a client. */
    public static ConsistencyLevel parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("consistency level is empty");
        }
        String t = text.trim();
        if (t.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("consistency level '" + text + "' is too large");
            }
            if (n < 1) {
                throw new IllegalArgumentException("consistency level must be at least 1, got " + n);
            }
            return new ConsistencyLevel(Kind.EXPLICIT, n);
        }
        try {
            Kind k = Kind.valueOf(t.toUpperCase(Locale.ROOT));
            if (k == Kind.EXPLICIT) {
                throw new IllegalArgumentException();
            }
            return new ConsistencyLevel(k, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown consistency level '" + text
                    + "'; use ONE, TWO, THREE, QUORUM, ALL or an integer");
        }
    }

    /**
     * The number of replicas this level requires with replication factor n. Throws
     * IllegalArgumentException when the level cannot be met by n replicas at all.
     */
    public int required(int n) {
        int r = switch (kind) {
            case ONE -> 1;
            case TWO -> 2;
            case THREE -> 3;
            case QUORUM -> n / 2 + 1;
            case ALL -> n;
            case EXPLICIT -> count;
            case ANY -> throw new IllegalArgumentException("consistency=ANY is for writes only: a stored hint "
                    + "can acknowledge a write, but a read needs a replica's answer");
            case SERIAL -> throw new IllegalArgumentException("consistency=" + kind
                    + " is not available in this version of Kvorum");
        };
        if (r > n) {
            throw new IllegalArgumentException("consistency=" + this + " needs " + r
                    + " replicas but the bucket's replication factor n is " + n);
        }
        return r;
    }

    /**
     * The number of acknowledgements a write at this level needs with replication factor n: as
     * {@link #required(int)}, and 1 for ANY, where a hint stored for a replica counts (as in
     * Cassandra).
     */
    public int writeRequired(int n) {
        return kind == Kind.ANY ? 1 : required(n);
    }

    public boolean isAny() {
        return kind == Kind.ANY;
    }

    @Override
    public String toString() {
        return kind == Kind.EXPLICIT ? Integer.toString(count) : kind.name();
    }
}
