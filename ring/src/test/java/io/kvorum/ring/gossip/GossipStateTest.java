package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GossipStateTest {

    private static final Node A = Node.parse("a@127.0.0.1:8081");
    private static final Node B = Node.parse("b@127.0.0.2:8081");
    private static final Node C = Node.parse("c@127.0.0.3:8081");
    private static final Node D = Node.parse("d@127.0.0.4:8081");

    private static GossipState of(MemberState... members) {
        GossipState s = GossipState.empty();
        for (MemberState m : members) {
            s = s.withMember(m);
        }
        return s;
    }

    @Test
    void startHoldsSelfAtHeartbeatZeroAndTheOtherSeeds() {
        Node selfByAddress = new Node("alias", "127.0.0.1", 8081);
        GossipState s = GossipState.start(A, 7, List.of(A, B, C, selfByAddress), 100);
        assertEquals(Map.of("a", new MemberState(A, 7, 0, 100)), s.members());
        assertEquals(Set.of("b", "c"), s.seeds().keySet(), "self is dropped from seeds by id and by address");
        assertEquals(Optional.of(B), s.node("b"));
        assertEquals(Optional.of(A), s.node("a"));
        assertTrue(s.node("z").isEmpty());
    }

    @Test
    void startRejectsTwoDifferentSeedsWithOneId() {
        assertThrows(IllegalArgumentException.class,
                () -> GossipState.start(A, 1, List.of(B, new Node("b", "10.0.0.9", 1)), 0));
    }

    @Test
    void beatIncrementsOnlyTheOwnHeartbeat() {
        GossipState s = of(new MemberState(A, 1, 4, 0), new MemberState(B, 1, 9, 0));
        GossipState next = s.beat("a", 50);
        assertEquals(new MemberState(A, 1, 5, 50), next.members().get("a"));
        assertEquals(s.members().get("b"), next.members().get("b"));
        assertEquals(4, s.members().get("a").heartbeat(), "the old state is unchanged");
        assertThrows(IllegalArgumentException.class, () -> s.beat("zz", 50));
    }

    @Test
    void mergeKeepsTheHigherHeartbeatAndStampsWhatItTook() {
        GossipState local = of(new MemberState(A, 1, 10, 5), new MemberState(B, 1, 3, 5));
        GossipState remote = of(new MemberState(A, 1, 8, 90), new MemberState(B, 1, 4, 90), new MemberState(C, 2, 0, 90));
        GossipState merged = local.merge(remote, 1000);
        assertEquals(new MemberState(A, 1, 10, 5), merged.members().get("a"), "ours was newer: kept as is");
        assertEquals(new MemberState(B, 1, 4, 1000), merged.members().get("b"), "theirs was newer: taken, stamped now");
        assertEquals(new MemberState(C, 2, 0, 1000), merged.members().get("c"), "new member learned");
    }

    @Test
    void aNewGenerationBeatsAnyHeartbeatOfTheOldOne() {
        GossipState beforeRestart = of(new MemberState(B, 5, 100_000, 0));
        GossipState restarted = of(new MemberState(B, 6, 0, 0));
        assertEquals(6, beforeRestart.merge(restarted, 1).members().get("b").generation());
        assertEquals(0, beforeRestart.merge(restarted, 1).members().get("b").heartbeat());
        assertEquals(6, restarted.merge(beforeRestart, 1).members().get("b").generation(), "in either direction");
        assertEquals(Set.of("b"), beforeRestart.merge(restarted, 1).changedBy(beforeRestart));
    }

    @Test
    void mergeOfNothingNewReturnsTheSameState() {
        GossipState s = of(new MemberState(A, 1, 10, 5));
        assertSame(s, s.merge(of(new MemberState(A, 1, 9, 7)), 100));
        assertSame(s, s.merge(s, 100));
        assertSame(s, s.merge(GossipState.empty(), 100));
    }

    @Test
    void mergeKeepsLocalSeeds() {
        GossipState local = GossipState.start(A, 1, List.of(B), 0);
        GossipState remote = GossipState.start(C, 1, List.of(D), 0);
        GossipState merged = local.merge(remote, 5);
        assertEquals(Set.of("b"), merged.seeds().keySet());
        assertEquals(Set.of("a", "c"), merged.members().keySet());
    }

    @Test
    void equalVersionsWithDifferentAddressesResolveTheSameWayOnBothSides() {
        Node movedB = new Node("b", "10.9.9.9", 9999);
        GossipState one = of(new MemberState(B, 3, 3, 0));
        GossipState two = of(new MemberState(movedB, 3, 3, 0));
        assertEquals(one.merge(two, 1).members().get("b").node(), two.merge(one, 1).members().get("b").node());
    }

    @Test
    void changedByListsAdvancedAndNewMembersOnly() {
        GossipState before = of(new MemberState(A, 1, 10, 0), new MemberState(B, 1, 3, 0), new MemberState(C, 1, 3, 0));
        GossipState after = of(new MemberState(A, 1, 10, 99), new MemberState(B, 1, 4, 0), new MemberState(C, 2, 0, 0),
                new MemberState(D, 1, 0, 0));
        assertEquals(Set.of("b", "c", "d"), after.changedBy(before));
        assertEquals(Set.of(), before.changedBy(after), "going backwards is no arrival");
        assertEquals(Set.of(), after.changedBy(after));
    }

    @Test
    void pickPeerChoosesALivePeerOtherThanSelf() {
        GossipState s = of(new MemberState(A, 1, 0, 0), new MemberState(B, 1, 0, 0), new MemberState(C, 1, 0, 0),
                new MemberState(D, 1, 0, 0));
        Random random = new Random(42);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String peer = s.pickPeer(Set.of("a", "b", "c"), "a", random).orElseThrow();
            assertTrue(peer.equals("b") || peer.equals("c"), "picked " + peer);
            seen.add(peer);
        }
        assertEquals(Set.of("b", "c"), seen, "every live peer gets picked");
    }

    @Test
    void pickPeerIgnoresLiveIdsWithoutAnAddress() {
        GossipState s = of(new MemberState(A, 1, 0, 0), new MemberState(B, 1, 0, 0));
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(Optional.of("b"), s.pickPeer(Set.of("a", "b", "unknown"), "a", new Random(seed)));
        }
    }

    @Test
    void whenNobodyIsLiveARestartedNodeTriesItsSeedsAndKnownMembers() {
        GossipState s = GossipState.start(A, 2, List.of(B, C), 0).withMember(new MemberState(D, 1, 0, 0));
        Random random = new Random(7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(s.pickPeer(Set.of(), "a", random).orElseThrow());
            seen.add(s.pickPeer(Set.of("a"), "a", random).orElseThrow());
        }
        assertEquals(Set.of("b", "c", "d"), seen);
    }

    @Test
    void aLoneNodeHasNobodyToGossipWith() {
        GossipState s = GossipState.start(A, 1, List.of(A), 0);
        assertEquals(Optional.empty(), s.pickPeer(Set.of("a"), "a", new Random(1)));
        assertEquals(Optional.empty(), s.pickUnreachable(Set.of("a"), "a", new Random(1)));
    }

    @Test
    void pickPeerIsDeterministicForASeed() {
        GossipState s = GossipState.start(A, 1, List.of(B, C, D), 0);
        Set<String> live = Set.of("b", "c", "d");
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        Random r1 = new Random(2024);
        Random r2 = new Random(2024);
        for (int i = 0; i < 50; i++) {
            first.add(s.pickPeer(live, "a", r1).orElseThrow());
            second.add(s.pickPeer(live, "a", r2).orElseThrow());
        }
        assertEquals(first, second);
        List<String> other = new ArrayList<>();
        Random r3 = new Random(2025);
        for (int i = 0; i < 50; i++) {
            other.add(s.pickPeer(live, "a", r3).orElseThrow());
        }
        assertNotEquals(first, other, "the seed matters");
    }

    @Test
    void pickUnreachableChoosesOnlyDownNodesAtCassandrasRate() {
        GossipState s = GossipState.start(A, 1, List.of(B, C, D), 0);
        Random random = new Random(3);
        int picked = 0;
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            Optional<String> p = s.pickUnreachable(Set.of("a", "b", "c"), "a", random);
            if (p.isPresent()) {
                assertEquals("d", p.get());
                picked++;
            }
        }
        // 1 unreachable, 2 live peers: probability 1 / (2 + 1)
        assertEquals(1.0 / 3, (double) picked / rounds, 0.02);
        for (int i = 0; i < 100; i++) {
            assertTrue(s.pickUnreachable(Set.of(), "a", random).isPresent(), "nobody live: always try someone");
            assertTrue(s.pickUnreachable(Set.of("b", "c", "d"), "a", random).isEmpty(), "nobody unreachable");
        }
    }

    @Test
    void validatesItsMaps() {
        assertThrows(IllegalArgumentException.class,
                () -> new GossipState(Map.of("x", new MemberState(A, 1, 0, 0)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new GossipState(Map.of(), Map.of("x", B)));
        assertThrows(IllegalArgumentException.class, () -> new MemberState(A, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MemberState(A, 0, -1, 0));
        assertThrows(UnsupportedOperationException.class, () -> GossipState.start(A, 1, List.of(), 0).members().clear());
    }
}
