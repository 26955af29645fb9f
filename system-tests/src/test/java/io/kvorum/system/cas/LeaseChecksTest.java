package io.kvorum.system.cas;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every lease check passes a correct run and catches its own kind of violation. */
class LeaseChecksTest {
    private static final long MS = 1_000_000;

    /** A 2 s lease acquired at {@code sentMs} (client) = {@code grantedAt} (coordinator), answered 10 ms later. */
    private static LeaseChecks.Grant grant(int client, long token, long sentMs, long grantedAt, Long releaseMs) {
        long sent = sentMs * MS;
        long received = sent + 10 * MS;
        long until = LeaseChecks.validUntil(sent, received, 2_000);
        if (releaseMs != null) {
            until = Math.min(until, releaseMs * MS);
        }
        return new LeaseChecks.Grant(client, token, sent, received, grantedAt, grantedAt + 2_000, until,
                releaseMs != null);
    }

    @Test
    void theValidityBoundIsTtlMinusTheClockBoundAndTheRequestTimeFromSending() {
        assertEquals((1_000 + 2_000 - LeaseChecks.CLOCK_BOUND_MILLIS - 50) * MS,
                LeaseChecks.validUntil(1_000 * MS, 1_050 * MS, 2_000));
    }

    @Test
    void releasedAndExpiredLeasesInTurnKeepTheGuarantee() {
        List<LeaseChecks.Grant> ok = List.of(
                grant(0, 1, 0, 100_000, 500L),             // released at 0.5 s
                grant(1, 2, 600, 100_600, null),           // expires at 2.6 s (coordinator 102_600)
                grant(2, 3, 2_600, 102_600, 3_000L),
                grant(0, 5, 3_100, 103_100, 3_200L));      // token 4 went to nobody we know of
        assertEquals(List.of(), LeaseChecks.violations(ok));
    }

    @Test
    void aTokenGrantedTwiceIsAViolation() {
        List<String> v = LeaseChecks.violations(List.of(grant(0, 1, 0, 100_000, 500L), grant(1, 1, 600, 100_600, 900L)));
        assertTrue(v.stream().anyMatch(s -> s.startsWith("token 1 was granted twice")), v.toString());
    }

    @Test
    void aLowerTokenGrantedLaterInRealTimeIsAViolation() {
        List<String> v = LeaseChecks.violations(List.of(grant(0, 2, 0, 100_000, 500L), grant(1, 1, 600, 100_600, 900L)));
        assertTrue(v.stream().anyMatch(s -> s.startsWith("tokens go back in real time")), v.toString());
    }

    @Test
    void aGrantBeforeTheUnreleasedPreviousLeaseExpiredIsAViolationByTheCoordinatorsClocks() {
        // client 0 never releases: its lease runs to 102_000 by the coordinator's clock
        List<String> v = LeaseChecks.violations(List.of(grant(0, 1, 0, 100_000, null), grant(1, 2, 2_500, 101_500, 2_600L)));
        assertTrue(v.stream().anyMatch(s -> s.contains("500 ms before the unreleased")), v.toString());
    }

    @Test
    void twoClientsValidAtOnceIsAViolationByTheClientsClocks() {
        // the coordinator clock says fine (granted after expiry), the clients' clocks do not
        List<String> v = LeaseChecks.violations(List.of(grant(0, 1, 0, 100_000, null), grant(1, 2, 1_500, 102_000, 1_700L)));
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("two clients held a valid lease at once"), v.toString());
    }

    @Test
    void aLeaseAnsweredAfterItsBoundWasNeverValidAndOverlapsNothing() {
        long sent = 0;
        long received = 3_000 * MS; // the coordinator paused: answered after the ttl had passed
        LeaseChecks.Grant late = new LeaseChecks.Grant(0, 1, sent, received, 100_000, 102_000,
                LeaseChecks.validUntil(sent, received, 2_000), false);
        assertTrue(!late.validSomewhile());
        assertEquals(List.of(), LeaseChecks.violations(List.of(late, grant(1, 2, 2_100, 102_100, 2_500L))));
    }
}
