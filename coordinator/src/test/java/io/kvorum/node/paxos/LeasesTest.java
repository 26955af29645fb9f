package io.kvorum.node.paxos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.node.paxos.Leases.Lease;
import io.kvorum.node.paxos.Leases.Reason;
import io.kvorum.node.paxos.Leases.Refusal;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class LeasesTest {
    final Leases leases = new Leases(new ObjectMapper());

    /** Applies a decision as the coordinator would: the applied value becomes the record. */
    Optional<KeyRecord> run(Optional<KeyRecord> current, CasOperation op, long now) {
        CasOperation.Decision d = op.decide(current, now);
        if (d instanceof CasOperation.Apply a) {
            return Optional.of(LwwRecord.of(new Sibling(a.value().value(), a.value().contentType(),
                    new HlcTimestamp(now, 0, "n1"), false)));
        }
        return current;
    }

    Refusal refusal(Optional<KeyRecord> current, CasOperation op, long now) {
        return (Refusal) assertInstanceOf(CasOperation.Refuse.class, op.decide(current, now)).why();
    }

    @Test
    void tokensStrictlyIncreaseAcrossHoldersAndSurviveRelease() {
        Optional<KeyRecord> r = run(Optional.empty(), leases.acquire(10_000), 1_000);
        assertEquals(new Lease(1, 11_000, 10_000), leases.lease(r).orElseThrow());
        assertEquals(Reason.HELD, refusal(r, leases.acquire(5_000), 2_000).reason());
        r = run(r, leases.release(1), 3_000);
        assertEquals(2_999, leases.lease(r).orElseThrow().expiresAtMillis(), "released: expiry in the past");
        r = run(r, leases.acquire(5_000), 3_001);
        assertEquals(2, leases.lease(r).orElseThrow().token());
        r = run(r, leases.acquire(5_000), 9_000); // expired without release
        assertEquals(3, leases.lease(r).orElseThrow().token());
    }

    @Test
    void renewNeedsTheCurrentTokenAndAnUnexpiredLease() {
        Optional<KeyRecord> r = run(Optional.empty(), leases.acquire(10_000), 1_000);
        r = run(r, leases.renew(1, 20_000), 5_000);
        assertEquals(new Lease(1, 25_000, 20_000), leases.lease(r).orElseThrow());
        assertEquals(Reason.STALE_TOKEN, refusal(r, leases.renew(7, 1_000), 6_000).reason());
        assertEquals(Reason.EXPIRED, refusal(r, leases.renew(1, 1_000), 25_000).reason());
        assertEquals(Reason.NO_SUCH_LOCK, refusal(Optional.empty(), leases.renew(1, 1_000), 0).reason());
    }

    @Test
    void releaseWithAStaleTokenIsRefused() {
        Optional<KeyRecord> r = run(Optional.empty(), leases.acquire(1_000), 0);
        r = run(r, leases.acquire(1_000), 2_000); // token 2 after expiry
        assertEquals(Reason.STALE_TOKEN, refusal(r, leases.release(1), 2_100).reason());
        assertEquals(Reason.NO_SUCH_LOCK, refusal(Optional.empty(), leases.release(1), 0).reason());
    }
}
