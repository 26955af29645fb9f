package io.kvorum.system.cas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the documented lease guarantee promises about the leases clients were granted (docs/api.md
 * "Locks", docs/consistency.md "Leases and clocks"), checked on what the clients recorded. Pure.
 *
 * <ol>
 *   <li>No two grants carry the same token.</li>
 *   <li>Tokens follow real time: a grant whose answer arrived before another acquire was sent has
 *       the lower token.</li>
 *   <li>As the coordinators' clocks see them, leases do not overlap: a lease is granted at
 *       {@code expiresAt - ttl} of its acquire's answer, and the next grant (in token order) comes
 *       no earlier than the end of the previous lease, as far as its holder knew it
 *       ({@code expiresAt} of its last acquire or renewal) when it did not release it. The
 *       nodes share one host clock here; {@link #CLOCK_BOUND_MILLIS} allows for it anyway.</li>
 *   <li>As the clients count them, no two clients hold a valid lease at once: a client counts its
 *       lease valid from the answer to its acquire until the earlier of sending its release and
 *       the documented bound, {@code ttl} minus the safety margin (clock bound plus the time the
 *       request took) from when it sent its last successful acquire or renewal, all on its own
 *       monotonic clock.</li>
 * </ol>
 */
final class LeaseChecks {
    /** The bound on the difference between the clocks involved (one host's clock here). */
    static final long CLOCK_BOUND_MILLIS = 10;

    private LeaseChecks() {
    }

    /**
     * A lease a client was granted, as it recorded it.
     *
     * @param client            who held it
     * @param token             the fencing token of the {@code 201}
     * @param sentNanos         the client's monotonic clock when it sent the acquire
     * @param receivedNanos     ... when the {@code 201} arrived
     * @param grantedAtMillis   {@code expiresAt - ttl} of the {@code 201}: the coordinator's clock at the grant
     * @param expiresAtMillis   {@code expiresAt} of the last successful acquire or renewal
     * @param validUntilNanos   the end of the lease as the client counts it (see the class comment)
     * @param releaseSent       whether it sent a release (its lease may have ended then, whatever the answer)
     */
    record Grant(int client, long token, long sentNanos, long receivedNanos, long grantedAtMillis,
                 long expiresAtMillis, long validUntilNanos, boolean releaseSent) {
        boolean validSomewhile() {
            return validUntilNanos > receivedNanos;
        }

        String describe(long originNanos) {
            return String.format("token %d (client %d: sent %.3f s, granted %.3f s, valid until %.3f s; "
                            + "coordinator clock: granted at %d, expires at %d%s)", token, client,
                    (sentNanos - originNanos) / 1e9, (receivedNanos - originNanos) / 1e9,
                    (validUntilNanos - originNanos) / 1e9, grantedAtMillis, expiresAtMillis,
                    releaseSent ? ", released" : "");
        }
    }

    /** The end of validity the documentation allows for one successful acquire or renewal. */
    static long validUntil(long sentNanos, long receivedNanos, long ttlMillis) {
        long took = receivedNanos - sentNanos;
        return sentNanos + (ttlMillis - CLOCK_BOUND_MILLIS) * 1_000_000 - took;
    }

    /** Every violation found, in words; empty when the grants keep the guarantee. */
    static List<String> violations(List<Grant> grants) {
        List<String> out = new ArrayList<>();
        long origin = grants.stream().mapToLong(Grant::sentNanos).min().orElse(0);
        Map<Long, Grant> byToken = new HashMap<>();
        for (Grant g : grants) {
            Grant other = byToken.putIfAbsent(g.token(), g);
            if (other != null) {
                out.add("token " + g.token() + " was granted twice: " + other.describe(origin) + " and "
                        + g.describe(origin));
            }
        }
        for (Grant a : grants) {
            for (Grant b : grants) {
                if (a.receivedNanos() < b.sentNanos() && a.token() >= b.token()) {
                    out.add("tokens go back in real time: " + a.describe(origin) + " was granted before "
                            + b.describe(origin) + " was asked for");
                }
            }
        }
        List<Grant> byTokenOrder = grants.stream().sorted(Comparator.comparingLong(Grant::token)).toList();
        for (int i = 1; i < byTokenOrder.size(); i++) {
            Grant prev = byTokenOrder.get(i - 1);
            Grant next = byTokenOrder.get(i);
            if (!prev.releaseSent() && next.grantedAtMillis() + CLOCK_BOUND_MILLIS < prev.expiresAtMillis()) {
                out.add("by the coordinators' clocks, " + next.describe(origin) + " was granted "
                        + (prev.expiresAtMillis() - next.grantedAtMillis()) + " ms before the unreleased "
                        + prev.describe(origin) + " expired");
            }
            if (next.grantedAtMillis() + CLOCK_BOUND_MILLIS < prev.grantedAtMillis()) {
                out.add("by the coordinators' clocks, " + next.describe(origin) + " was granted before "
                        + prev.describe(origin));
            }
        }
        List<Grant> valid = byTokenOrder.stream().filter(Grant::validSomewhile).toList();
        for (int i = 1; i < valid.size(); i++) {
            Grant prev = valid.get(i - 1);
            Grant next = valid.get(i);
            if (next.receivedNanos() < prev.validUntilNanos()) {
                out.add(String.format("two clients held a valid lease at once for %.3f s: %s and %s",
                        (prev.validUntilNanos() - next.receivedNanos()) / 1e9, prev.describe(origin),
                        next.describe(origin)));
            }
        }
        return out;
    }
}
