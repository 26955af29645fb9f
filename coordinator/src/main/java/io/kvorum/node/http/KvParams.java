package io.kvorum.node.http;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.quorum.ConsistencyLevel;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of a /kv request, validated: the consistency level ({@code consistency},
 * or its alias {@code r} for reads and {@code w} for writes), {@code timeout} in milliseconds,
 * {@code sloppy} and {@code returnbody}.
 */
public record KvParams(ConsistencyLevel level, long timeoutMillis, boolean sloppy, boolean returnBody) {
    private static final Set<String> READ_PARAMS = Set.of("consistency", "r", "timeout", "sloppy");
    private static final Set<String> WRITE_PARAMS = Set.of("consistency", "w", "timeout", "sloppy", "returnbody");

    public static KvParams forRead(Map<String, List<String>> query, BucketProps props, long defaultTimeout, long maxTimeout) {
        return parse(query, READ_PARAMS, "r", props.r(), props, defaultTimeout, maxTimeout, false);
    }

    public static KvParams forWrite(Map<String, List<String>> query, BucketProps props, long defaultTimeout, long maxTimeout) {
        return parse(query, WRITE_PARAMS, "w", props.w(), props, defaultTimeout, maxTimeout, true);
    }

    private static KvParams parse(Map<String, List<String>> query, Set<String> allowed, String alias,
                                  ConsistencyLevel bucketDefault, BucketProps props, long defaultTimeout, long maxTimeout,
                                  boolean write) {
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiError.badRequest("unknown query parameter '" + e.getKey() + "'; this request accepts "
                        + allowed.stream().sorted().toList());
            }
            if (e.getValue().size() > 1) {
                throw ApiError.badRequest("query parameter '" + e.getKey() + "' is given more than once");
            }
        }
        String c = single(query, "consistency");
        String a = single(query, alias);
        ConsistencyLevel level;
        try {
            level = c != null ? ConsistencyLevel.parse(c) : a != null ? ConsistencyLevel.parse(a) : bucketDefault;
            int required = required(level, props.n(), write);
            ConsistencyLevel other = a == null ? null : ConsistencyLevel.parse(a);
            // equal replica counts agree (2 and TWO), except that ANY and SERIAL mean more than a count
            boolean sameMeaning = other != null && level.isAny() == other.isAny()
                    && (level.kind() == ConsistencyLevel.Kind.SERIAL) == (other.kind() == ConsistencyLevel.Kind.SERIAL)
                    && required(other, props.n(), write) == required;
            if (c != null && other != null && !sameMeaning) {
                throw new IllegalArgumentException("'consistency' and its alias '" + alias + "' disagree ("
                        + c + " vs " + a + ")");
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        long timeout = defaultTimeout;
        String t = single(query, "timeout");
        if (t != null) {
            try {
                timeout = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("timeout must be a whole number of milliseconds, got '" + t + "'");
            }
            if (timeout < 1 || timeout > maxTimeout) {
                throw ApiError.badRequest("timeout must be between 1 and " + maxTimeout
                        + " ms (maxTimeoutMillis), got " + timeout);
            }
        }
        boolean sloppy = bool(query, "sloppy", props.sloppy());
        if (level.isAny() && !sloppy) {
            throw ApiError.badRequest("consistency=ANY accepts a stored hint as the acknowledgement, which "
                    + "sloppy=false forbids; use another level or drop sloppy=false");
        }
        boolean returnBody = bool(query, "returnbody", false);
        return new KvParams(level, timeout, sloppy, returnBody);
    }

    /** SERIAL runs Paxos at a quorum of the key's replicas; other levels resolve as usual. */
    private static int required(ConsistencyLevel level, int n, boolean write) {
        if (level.kind() == ConsistencyLevel.Kind.SERIAL) {
            return n / 2 + 1;
        }
        return write ? level.writeRequired(n) : level.required(n);
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static boolean bool(Map<String, List<String>> query, String name, boolean dflt) {
        String v = single(query, name);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiError.badRequest(name + " must be true or false, got '" + v + "'");
    }
}
