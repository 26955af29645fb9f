package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.LivenessView;
import io.kvorum.ring.Node;
import io.kvorum.ring.NodeStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private static final Node A = Node.parse("a@127.0.0.1:8081");
    private static final Node B = Node.parse("b@127.0.0.2:8081");
    private static final Node C = Node.parse("c@127.0.0.3:8081");
    private static final FailureDetectorConfig CONFIG = FailureDetectorConfig.defaults();
    private static final long BOUND = PhiAccrualDetector.worstCaseDetectionMillis(CONFIG);

    /** Two nodes that beat and exchange state every second from 0 to {@code until} inclusive. */
    private static Membership[] beatTogether(Membership a, Membership b, long from, long until) {
        for (long t = from; t <= until; t += 1000) {
            a = a.tick(t);
            b = b.tick(t);
            b = b.onGossip(a.state(), t);
            a = a.onGossip(b.state(), t);
        }
        return new Membership[] {a, b};
    }

    @Test
    void anAnnouncementNewerThanWhatWasKnownIsMergedAndStillTakesTheMemberDown() {
        Membership a = Membership.start(A, 1, List.of(B), CONFIG, 0);
        Membership b = Membership.start(B, 1, List.of(A), CONFIG, 0).tick(1_000);
        a = a.onGossip(b.state(), 1_000);
        b = b.tick(2_000).tick(3_000).stop();
        a = a.onShutdown(b.shutdownAnnouncement(), 3_100);
        assertEquals(3, a.state().member("b").orElseThrow().heartbeat(), "the announced version is merged");
        assertEquals(NodeStatus.DOWN, a.status("b", 3_100));
        // a heartbeat newer than the announced one (the same run beat on after all) is heard again
        Membership laterBeat = Membership.start(B, 1, List.of(A), CONFIG, 0).tick(1).tick(2).tick(3).tick(4);
        assertEquals(NodeStatus.UP, a.onGossip(laterBeat.state(), 4_000).status("b", 4_000));
    }

    @Test
    void aStoppingMemberBeatsNoMoreSoItsAnnouncementIsItsLastWord() {
        Membership b = Membership.start(B, 1, List.of(A), CONFIG, 0).tick(1_000);
        Membership stopping = b.stop();
        assertTrue(stopping.stopping());
        assertSame(stopping, stopping.stop());
        assertSame(stopping, stopping.tick(2_000), "no heartbeat after the stop");
        // not even when a peer claims a newer version of it (which would make it jump past that claim)
        Membership claim = Membership.start(B, 1, List.of(A), CONFIG, 0).tick(1).tick(2).tick(3);
        Membership a = Membership.start(A, 1, List.of(B), CONFIG, 0).onGossip(claim.state(), 1_500);
        assertEquals(1, stopping.onGossip(a.state(), 2_500).self().heartbeat());
        assertEquals(4, b.onGossip(a.state(), 2_500).self().heartbeat(), "a running member does jump");
        assertEquals(stopping.self(), stopping.shutdownAnnouncement().member("b").orElseThrow());
    }

    @Test
    void aMemberThatAnnouncesItsShutdownIsDownAtOnceAndUpAgainOnlyInItsNextRun() {
        Membership a = Membership.start(A, 1, List.of(B, C), CONFIG, 0);
        Membership b = Membership.start(B, 1, List.of(A, C), CONFIG, 0);
        Membership c = Membership.start(C, 1, List.of(A, B), CONFIG, 0);
        for (long t = 1_000; t <= 5_000; t += 1_000) {
            b = b.tick(t);
            c = c.onGossip(b.state(), t);
            a = a.onGossip(b.state(), t);
        }
        assertEquals(NodeStatus.UP, a.status("b", 5_000));

        GossipState announcement = b.shutdownAnnouncement();
        assertEquals(Set.of("b"), announcement.members().keySet());
        a = a.onShutdown(announcement, 5_100);
        assertEquals(NodeStatus.DOWN, a.status("b", 5_100), "down at once, not after the detector's bound");
        // c relays what it knew of b, which is no newer than the announcement: b stays down
        a = a.onGossip(c.state(), 6_000);
        assertEquals(NodeStatus.DOWN, a.status("b", 6_000));
        assertEquals(NodeStatus.UP, a.status("c", 6_000), "the others are untouched");

        // b's next run (a new generation) is up at its first gossip
        Membership restarted = Membership.start(B, 2, List.of(A), CONFIG, 9_000).tick(9_000);
        a = a.onGossip(restarted.state(), 9_000);
        assertEquals(NodeStatus.UP, a.status("b", 9_000));

        // an announcement from the old run that arrives late does not take the new run down
        assertEquals(NodeStatus.UP, a.onShutdown(announcement, 9_500).status("b", 9_500));
        // nobody speaks for us, and an announcement names exactly one member
        assertSame(a, a.onShutdown(a.shutdownAnnouncement(), 9_500));
        Membership finalA = a;
        GossipState everyone = c.state();
        assertThrows(IllegalArgumentException.class, () -> finalA.onShutdown(everyone, 9_500));
    }

    @Test
    void aHeartbeatThatAdvancedBySeveralBeatsIsRecordedAsThatManyIntervals() {
        Membership a = Membership.start(A, 1, List.of(B, C), CONFIG, 0);
        Membership b = Membership.start(B, 1, List.of(A, C), CONFIG, 0);
        a = a.onGossip(b.tick(1_000).state(), 1_000);
        // b beats three more times; a hears of them only at 4,000 (say through c)
        b = b.tick(1_000).tick(2_000).tick(3_000).tick(4_000);
        a = a.onGossip(b.state(), 4_000);
        assertEquals(List.of(1000L, 1000L, 1000L, 1000L),
                java.util.Arrays.stream(a.detector().window("b").orElseThrow().intervals()).boxed().toList(),
                "the seed and three one-second beats, not one three-second gap (which would be dropped as an outage)");
        // a new generation is a fresh window, however far its counter is from the old one
        Membership restarted = Membership.start(B, 2, List.of(A), CONFIG, 9_000).tick(9_000);
        a = a.onGossip(restarted.state(), 9_000);
        assertEquals(1, a.detector().window("b").orElseThrow().size());
    }

    @Test
    void aPeerThatStopsBeatingIsDownAfterTheBoundAndUpAgainRightAfterItRestarts() {
        Membership[] pair = beatTogether(Membership.start(A, 1, List.of(B), CONFIG, 0),
                Membership.start(B, 1, List.of(A), CONFIG, 0), 0, 30_000);
        Membership a = pair[0];
        long lastBeat = 30_000;
        assertEquals(1000.0, a.detector().window("b").orElseThrow().mean(), "a steady 1 s rhythm");

        LivenessView view = a.liveness(lastBeat);
        assertEquals(NodeStatus.UP, view.status("b"));
        // B is killed. A keeps beating on its own and evaluates liveness every second.
        for (long t = lastBeat + 1000; t < lastBeat + BOUND; t += 1000) {
            a = a.tick(t);
            view = a.liveness(view, t);
            assertEquals(NodeStatus.UP, view.status("b"), "too early at " + (t - lastBeat) + " ms");
        }
        assertEquals(NodeStatus.UP, a.liveness(view, lastBeat + BOUND - 1).status("b"));
        view = a.liveness(view, lastBeat + BOUND);
        assertEquals(NodeStatus.DOWN, view.status("b"));
        assertEquals(lastBeat + BOUND, view.since("b"));
        assertTrue(a.phi("b", lastBeat + BOUND) >= 8.0);
        assertEquals(NodeStatus.UP, view.status("a"), "self is always up");

        // B restarts a minute later with the next generation; its first gossip goes to its seed, A.
        long restart = lastBeat + 60_000;
        Membership b = Membership.start(B, 2, List.of(A), CONFIG, restart);
        assertEquals(Optional.of("a"), b.pickPeer(restart, new Random(1)), "nobody is live yet: try the seed");
        a = a.tick(restart).onGossip(b.state(), restart);
        assertEquals(2, a.state().members().get("b").generation());
        assertEquals(0.0, a.phi("b", restart));
        view = a.liveness(view, restart);
        assertEquals(NodeStatus.UP, view.status("b"));
        assertEquals(restart, view.since("b"));
        assertEquals(ArrivalWindow.first(restart, CONFIG), a.detector().window("b").orElseThrow(),
                "the new process starts a new window");

        // and it is convicted again by the same bound if it dies again at once
        assertEquals(NodeStatus.UP, a.status("b", restart + BOUND - 1));
        assertEquals(NodeStatus.DOWN, a.status("b", restart + BOUND));
    }

    @Test
    void aPausedPeerIsDownDuringThePauseAndUpAtItsNextHeartbeat() {
        Membership[] pair = beatTogether(Membership.start(A, 1, List.of(B), CONFIG, 0),
                Membership.start(B, 1, List.of(A), CONFIG, 0), 0, 10_000);
        Membership a = pair[0];
        Membership b = pair[1];
        long resume = 10_000 + 60_000; // SIGSTOP for a minute, same process, same generation
        assertEquals(NodeStatus.DOWN, a.status("b", resume - 1));
        b = b.tick(resume);
        a = a.onGossip(b.state(), resume);
        assertEquals(NodeStatus.UP, a.status("b", resume));
        assertEquals(1000.0, a.detector().window("b").orElseThrow().mean(), "the minute of silence is not learned");
        assertEquals(NodeStatus.DOWN, a.status("b", resume + BOUND), "so the next death is detected as fast");
    }

    @Test
    void heartbeatsRelayedByAThirdNodeCountAsArrivals() {
        Membership a = Membership.start(A, 1, List.of(B, C), CONFIG, 0);
        Membership b = Membership.start(B, 1, List.of(), CONFIG, 0);
        Membership c = Membership.start(C, 1, List.of(), CONFIG, 0);
        for (long t = 0; t <= 20_000; t += 1000) {
            a = a.tick(t);
            b = b.tick(t);
            c = c.tick(t);
            b = b.onGossip(c.state(), t); // C only ever talks to B
            a = a.onGossip(b.state(), t); // A only ever hears from B
        }
        assertEquals(Set.of("a", "b", "c"), a.state().members().keySet());
        assertEquals(NodeStatus.UP, a.status("c", 20_000 + BOUND - 1));
        assertEquals(1000.0, a.detector().window("c").orElseThrow().mean());
        assertEquals(20_000, a.detector().window("c").orElseThrow().lastArrivalMillis());
    }

    @Test
    void gossipWithNothingNewRecordsNoArrival() {
        Membership a = Membership.start(A, 1, List.of(B), CONFIG, 0);
        Membership b = Membership.start(B, 1, List.of(A), CONFIG, 0);
        a = a.onGossip(b.state(), 0);
        Membership same = a.onGossip(b.state(), 5_000);
        assertSame(a, same, "old news is no heartbeat");
        assertTrue(same.phi("b", 5_000) > 0);
    }

    @Test
    void selfIsAlwaysUpWithPhiZero() {
        Membership a = Membership.start(A, 1, List.of(B), CONFIG, 0);
        assertEquals(0.0, a.phi("a", 1_000_000));
        assertEquals(NodeStatus.UP, a.liveness(1_000_000).status("a"));
        assertEquals(Double.POSITIVE_INFINITY, a.phi("b", 0), "a seed never heard from");
        assertEquals(Set.of("a"), a.liveness(0).upIds());
    }

    @Test
    void livenessKeepsSinceForUnchangedStatusesAndMarksForgottenIdsDown() {
        Membership a = Membership.start(A, 1, List.of(B), CONFIG, 0).onGossip(Membership.start(B, 1, List.of(), CONFIG, 0).state(), 0);
        LivenessView previous = new LivenessView(Map.of("a", NodeStatus.UP, "b", NodeStatus.UP, "gone", NodeStatus.UP),
                Map.of("a", 5L, "b", 7L, "gone", 9L));
        LivenessView view = a.liveness(previous, 1_000);
        assertEquals(5, view.since("a"));
        assertEquals(7, view.since("b"));
        assertEquals(NodeStatus.DOWN, view.status("gone"));
        assertEquals(1_000, view.since("gone"));
        assertSame(view, a.liveness(view, 2_000), "nothing changed: the same view");
    }

    @Test
    void whatOthersSayAboutUsIsNotMergedUnlessItIsAheadOfUs() {
        Membership a = Membership.start(A, 3, List.of(), CONFIG, 0).tick(1).tick(2); // (3, 2)
        Node impostor = new Node("a", "10.6.6.6", 6666);
        GossipState stale = GossipState.empty().withMember(new MemberState(impostor, 3, 1, 0));
        assertSame(a, a.onGossip(stale, 10));
        // same version, an address that would win the tie-break in a plain merge: still ignored
        Node winningImpostor = new Node("a", "99.9.9.9", 9999);
        assertSame(a, a.onGossip(GossipState.empty().withMember(new MemberState(winningImpostor, 3, 2, 0)), 10));
        assertEquals(A, a.self().node());

        GossipState ahead = GossipState.empty().withMember(new MemberState(impostor, 3, 50, 0));
        Membership bumped = a.onGossip(ahead, 10);
        assertEquals(new MemberState(A, 3, 51, 10), bumped.self(), "our own address, a heartbeat just above theirs");
        assertTrue(bumped.detector().windows().isEmpty(), "our own beats are no arrivals");

        GossipState laterGeneration = GossipState.empty().withMember(new MemberState(impostor, 4, 0, 0));
        assertEquals(new MemberState(A, 4, 1, 20), a.onGossip(laterGeneration, 20).self());
    }

    @Test
    void pickPeerPrefersLivePeersAndNeverSelf() {
        Membership a = Membership.start(A, 1, List.of(B, C), CONFIG, 0);
        Membership b = Membership.start(B, 1, List.of(), CONFIG, 0);
        Membership c = Membership.start(C, 1, List.of(), CONFIG, 0);
        a = a.onGossip(b.state(), 0);
        for (long t = 0; t <= 60_000; t += 1000) {
            c = c.tick(t);
            a = a.onGossip(c.state(), t); // B went silent at 0, C keeps beating
        }
        assertEquals(NodeStatus.DOWN, a.status("b", 60_000));
        Random random = new Random(11);
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.of("c"), a.pickPeer(60_000, random));
            a.pickUnreachable(60_000, random).ifPresent(p -> assertEquals("b", p));
        }
    }

    @Test
    void selfMustBeAMember() {
        assertThrows(IllegalArgumentException.class,
                () -> new Membership("x", GossipState.start(A, 1, List.of(), 0), PhiAccrualDetector.create(CONFIG)));
    }
}
