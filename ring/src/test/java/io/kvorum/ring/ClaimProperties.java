package io.kvorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The laws of claim at Q = 256: balance, minimal movement, determinism. */
class ClaimProperties {
    private static final int Q = Partitioner.DEFAULT_PARTITIONS;
    private static final int SLACK = 2;

    @Provide
    Arbitrary<Set<String>> clusters() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                .ofMinLength(1).ofMaxLength(6).set().ofMinSize(3).ofMaxSize(16);
    }

    @Property
    void initialClaimIsBalanced(@ForAll("clusters") Set<String> ids) {
        assertBalanced(Claim.initial(Q, ids), ids);
    }

    /** Round robin: distinct neighbours, except across the wrap when Q mod S == 1. */
    @Property
    void initialClaimGivesConsecutivePartitionsDistinctOwners(@ForAll("clusters") Set<String> ids) {
        List<String> owners = Claim.initial(Q, ids);
        for (int p = 0; p + 1 < Q; p++) {
            assertNotEquals(owners.get(p), owners.get(p + 1), "partitions " + p + " and " + (p + 1));
        }
        assertEquals(Q % ids.size() == 1, owners.get(Q - 1).equals(owners.get(0)), "wrap-around pair");
    }

    @Property
    void joiningNodeMovesAboutOneShareOfPartitions(@ForAll("clusters") Set<String> ids, @ForAll @IntRange(max = 15) int pick) {
        String joiner = new ArrayList<>(ids).get(pick % ids.size());
        Set<String> before = without(ids, joiner);
        List<String> old = Claim.initial(Q, before);
        List<String> next = Claim.rebalance(old, ids);

        assertBalanced(next, ids);
        int share = ceilDiv(Q, ids.size());
        assertTrue(ClaimTest.moved(old, next) <= share + SLACK, "moved " + ClaimTest.moved(old, next) + " > " + share);
        for (int p = 0; p < Q; p++) {
            assertTrue(old.get(p).equals(next.get(p)) || next.get(p).equals(joiner),
                    "partition " + p + " moved between two old nodes");
        }
    }

    @Property
    void leavingNodeMovesOnlyItsOwnPartitions(@ForAll("clusters") Set<String> ids, @ForAll @IntRange(max = 15) int pick) {
        String leaver = new ArrayList<>(ids).get(pick % ids.size());
        List<String> old = Claim.initial(Q, ids);
        List<String> next = Claim.rebalance(old, without(ids, leaver));

        assertBalanced(next, without(ids, leaver));
        int others = 0;
        for (int p = 0; p < Q; p++) {
            if (!old.get(p).equals(next.get(p)) && !old.get(p).equals(leaver)) {
                others++;
            }
        }
        assertTrue(others <= SLACK, others + " partitions of staying nodes moved");
    }

    /** Any history of joins and leaves stays balanced and moves at most a share per step. */
    @Property(tries = 300)
    void historiesOfJoinsAndLeavesStayBalancedWithBoundedMovement(
            @ForAll("clusters") Set<String> start, @ForAll @Size(max = 12) List<@IntRange(max = 1000) Integer> ops) {
        TreeSet<String> ids = new TreeSet<>(start);
        List<String> owners = Claim.initial(Q, ids);
        for (int i = 0; i < ops.size(); i++) {
            int op = ops.get(i);
            boolean join = ids.size() < 3 || (op % 2 == 0 && ids.size() < 16);
            String changed = join ? "joiner" + i : new ArrayList<>(ids).get(op / 2 % ids.size());
            int leaverCount = Collections.frequency(owners, changed);
            if (join) {
                ids.add(changed);
            } else {
                ids.remove(changed);
            }
            List<String> next = Claim.rebalance(owners, ids);
            assertBalanced(next, ids);
            int moved = ClaimTest.moved(owners, next);
            int bound = join ? ceilDiv(Q, ids.size()) : leaverCount;
            assertTrue(moved <= bound + SLACK, "step " + i + (join ? " join " : " leave ") + changed
                    + " moved " + moved + ", bound " + bound);
            owners = next;
        }
    }

    @Property
    void claimIsDeterministicWhateverTheIdOrder(@ForAll("clusters") Set<String> ids, @ForAll @IntRange(max = 15) int pick) {
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new java.util.Random(pick));
        List<String> reversed = new ArrayList<>(ids);
        Collections.reverse(reversed);
        assertEquals(Claim.initial(Q, reversed), Claim.initial(Q, shuffled));

        String leaver = reversed.get(pick % reversed.size());
        List<String> old = Claim.initial(Q, ids);
        List<String> remaining = new ArrayList<>(shuffled);
        remaining.remove(leaver);
        List<String> remainingReversed = new ArrayList<>(remaining);
        Collections.reverse(remainingReversed);
        assertEquals(Claim.rebalance(old, remaining), Claim.rebalance(old, remainingReversed));
    }

    /** Every node owns floor(Q/S) or ceil(Q/S), hence within 10% of Q/S for S <= 16 at Q = 256. */
    private static void assertBalanced(List<String> owners, Set<String> ids) {
        assertEquals(Q, owners.size());
        Map<String, Integer> counts = ClaimTest.counts(owners);
        assertEquals(ids, counts.keySet(), "owners must be exactly the nodes");
        int floor = Q / ids.size();
        double fair = (double) Q / ids.size();
        counts.forEach((id, c) -> {
            assertTrue(c == floor || c == ceilDiv(Q, ids.size()), id + " owns " + c + ", fair share " + fair);
            assertTrue(Math.abs(c - fair) <= 0.1 * fair, id + " owns " + c + ", more than 10% off " + fair);
        });
    }

    private static Set<String> without(Set<String> ids, String id) {
        Set<String> rest = new TreeSet<>(ids);
        rest.remove(id);
        return rest;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
