package io.kvorum.node.paxos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Leases (locks) with fencing tokens, as compare-and-set operations on one key per lock in the
 * reserved bucket {@value #BUCKET}. The value is a small JSON document
 * {@code {"token":N,"expiresAt":millis,"ttlMillis":millis}}; it is never deleted (a release sets the
 * expiry in the past), so the token counter survives every holder: each acquisition takes the
 * previous token plus one, and since each runs as one Paxos round on the linearizable value, tokens
 * strictly increase across holders (Kleppmann, "How to do distributed locking", 2016).
 *
 * <p>Expiry is decided with the coordinator's wall clock ({@code nowMillis}); see
 * docs/consistency.md for what this assumes about clocks.
 */
public final class Leases {
    /** The bucket holding the locks; clients cannot address it under /kv or /buckets. */
    public static final String BUCKET = "_locks";
    private static final String CONTENT_TYPE = "application/json";

    private final ObjectMapper mapper;

    public Leases(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One lock's state. Expired when {@code expiresAt <= now}. */
    public record Lease(long token, long expiresAtMillis, long ttlMillis) {
        public boolean heldAt(long nowMillis) {
            return expiresAtMillis > nowMillis;
        }
    }

    public enum Reason {
        /** Acquire: another holder's lease has not expired. */
        HELD,
        /** Renew or release: the lock never existed. */
        NO_SUCH_LOCK,
        /** Renew or release: the token is not the current one (another holder acquired since, or it is wrong). */
        STALE_TOKEN,
        /** Renew: the token is current but its lease has expired (or was released). */
        EXPIRED
    }

    /** Why an operation was refused, with the lock's current lease when there is one. */
    public record Refusal(Reason reason, Optional<Lease> lease) {
        public Refusal {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(lease, "lease");
        }
    }

    public CasOperation acquire(long ttlMillis) {
        return (current, now) -> {
            Optional<Lease> lease = lease(current);
            if (lease.isPresent() && lease.get().heldAt(now)) {
                return new CasOperation.Refuse(new Refusal(Reason.HELD, lease));
            }
            long token = lease.map(Lease::token).orElse(0L) + 1;
            return apply(new Lease(token, now + ttlMillis, ttlMillis));
        };
    }

    public CasOperation renew(long token, long ttlMillis) {
        return (current, now) -> {
            Optional<Lease> lease = lease(current);
            Optional<Refusal> refused = check(lease, token);
            if (refused.isPresent()) {
                return new CasOperation.Refuse(refused.get());
            }
            if (!lease.get().heldAt(now)) {
                return new CasOperation.Refuse(new Refusal(Reason.EXPIRED, lease));
            }
            return apply(new Lease(token, now + ttlMillis, ttlMillis));
        };
    }

    public CasOperation release(long token) {
        return (current, now) -> {
            Optional<Lease> lease = lease(current);
            Optional<Refusal> refused = check(lease, token);
            if (refused.isPresent()) {
                return new CasOperation.Refuse(refused.get());
            }
            return apply(new Lease(token, Math.min(lease.get().expiresAtMillis(), now - 1), lease.get().ttlMillis()));
        };
    }

    private static Optional<Refusal> check(Optional<Lease> lease, long token) {
        if (lease.isEmpty()) {
            return Optional.of(new Refusal(Reason.NO_SUCH_LOCK, lease));
        }
        if (lease.get().token() != token) {
            return Optional.of(new Refusal(Reason.STALE_TOKEN, lease));
        }
        return Optional.empty();
    }

    private CasOperation.Apply apply(Lease lease) {
        ObjectNode o = mapper.createObjectNode();
        o.put("token", lease.token());
        o.put("expiresAt", lease.expiresAtMillis());
        o.put("ttlMillis", lease.ttlMillis());
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new CasOperation.Apply(Sibling.of(json, CONTENT_TYPE, new HlcTimestamp(0, 0, "lease")));
    }

    /** The lease a lock's record holds; empty for a lock that never existed. */
    public Optional<Lease> lease(Optional<KeyRecord> record) {
        if (record.isEmpty() || record.get().isDeleted()) {
            return Optional.empty();
        }
        List<Sibling> live = record.get().liveSiblings();
        Sibling newest = live.stream().filter(s -> s.stamp().equals(record.get().newestStamp())).findFirst()
                .orElse(live.get(0));
        try {
            JsonNode n = mapper.readTree(newest.value());
            return Optional.of(new Lease(n.path("token").asLong(), n.path("expiresAt").asLong(),
                    n.path("ttlMillis").asLong()));
        } catch (IOException e) {
            throw new IllegalStateException("lock record is not a lease: " + e.getMessage(), e);
        }
    }
}
