package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GossipStateProperties {

    private static final List<String> IDS = List.of("a", "b", "c", "d", "e");

    /** Small states over few ids, generations and heartbeats, so that versions often collide. */
    @Provide
    Arbitrary<GossipState> states() {
        Arbitrary<MemberState> member = Combinators.combine(
                Arbitraries.of(IDS),
                Arbitraries.integers().between(0, 2), // address variant, so that ties can disagree on it
                Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(0, 5),
                Arbitraries.longs().between(0, 1000))
                .as((id, port, gen, hb, at) -> new MemberState(new Node(id, "h-" + id, 8080 + port), gen, hb, at));
        return member.list().ofMaxSize(6).map(list -> {
            Map<String, MemberState> map = new TreeMap<>();
            list.forEach(m -> map.put(m.id(), m));
            return new GossipState(map, Map.of());
        });
    }

    /** The part of a state that merging must agree on: versions and addresses, not local times. */
    private static Map<String, String> versions(GossipState s) {
        Map<String, String> v = new TreeMap<>();
        s.members().forEach((id, m) -> v.put(id, m.generation() + "." + m.heartbeat() + "@" + m.node().spec()));
        return v;
    }

    @Property
    void mergeIsCommutative(@ForAll("states") GossipState a, @ForAll("states") GossipState b) {
        assertEquals(versions(a.merge(b, 7)), versions(b.merge(a, 7)));
    }

    @Property
    void mergeIsAssociative(@ForAll("states") GossipState a, @ForAll("states") GossipState b, @ForAll("states") GossipState c) {
        assertEquals(versions(a.merge(b, 1).merge(c, 2)), versions(a.merge(b.merge(c, 3), 4)));
    }

    @Property
    void mergeIsIdempotent(@ForAll("states") GossipState a, @ForAll("states") GossipState b) {
        assertEquals(a, a.merge(a, 9), "merging with itself changes nothing, not even times");
        GossipState ab = a.merge(b, 5);
        assertEquals(ab, ab.merge(b, 6), "merging the same news twice changes nothing the second time");
    }

    @Property
    void mergeKeepsTheHighestVersionOfEachMember(@ForAll("states") GossipState a, @ForAll("states") GossipState b) {
        GossipState m = a.merge(b, 5);
        Set<String> ids = new TreeSet<>(a.members().keySet());
        ids.addAll(b.members().keySet());
        assertEquals(ids, m.members().keySet());
        for (String id : ids) {
            MemberState merged = m.members().get(id);
            for (GossipState side : List.of(a, b)) {
                side.member(id).ifPresent(s -> assertTrue(merged.compareVersion(s) >= 0, merged + " lost to " + s));
            }
            assertTrue(merged.equals(a.members().get(id)) || merged.equals(b.members().get(id).withUpdatedAtMillis(5)),
                    "an entry comes from one side: " + merged);
        }
    }

    @Property
    void changedByIsExactlyWhatTheRemoteAdvanced(@ForAll("states") GossipState a, @ForAll("states") GossipState b) {
        Set<String> expected = new TreeSet<>();
        b.members().forEach((id, theirs) -> {
            Optional<MemberState> ours = a.member(id);
            if (ours.isEmpty() || theirs.isNewerThan(ours.get())) {
                expected.add(id);
            }
        });
        assertEquals(expected, a.merge(b, 5).changedBy(a));
    }

    @Property
    void pickPeerNeverReturnsSelf(@ForAll("states") GossipState s, @ForAll("someIds") Set<String> live,
                                  @ForAll("ids") String self, @ForAll long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            Optional<String> peer = s.pickPeer(live, self, random);
            peer.ifPresent(p -> {
                assertFalse(p.equals(self));
                assertTrue(s.node(p).isPresent(), "picked an id with no address: " + p);
            });
            Set<String> others = new TreeSet<>(s.members().keySet());
            others.remove(self);
            assertEquals(others.isEmpty(), peer.isEmpty(), "a peer exactly when somebody else is known");
            s.pickUnreachable(live, self, random).ifPresent(p -> {
                assertFalse(p.equals(self));
                assertFalse(live.contains(p));
            });
        }
    }

    @Property
    void pickPeerIsDeterministicForASeed(@ForAll("states") GossipState s, @ForAll("someIds") Set<String> live,
                                         @ForAll("ids") String self, @ForAll long seed) {
        List<Optional<String>> first = new ArrayList<>();
        List<Optional<String>> second = new ArrayList<>();
        Random r1 = new Random(seed);
        Random r2 = new Random(seed);
        for (int i = 0; i < 10; i++) {
            first.add(s.pickPeer(live, self, r1));
            second.add(s.pickPeer(new TreeSet<>(live), self, r2));
        }
        assertEquals(first, second);
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.of(IDS);
    }

    @Provide
    Arbitrary<Set<String>> someIds() {
        return Arbitraries.of(IDS).set().ofMaxSize(IDS.size());
    }
}
