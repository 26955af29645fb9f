package io.kvorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RingSnapshotProperties {

    @Provide
    Arbitrary<List<Node>> nodes() {
        return Arbitraries.strings().withChars("abcdefghij0123456789._-").ofMinLength(1).ofMaxLength(5)
                .set().ofMinSize(1).ofMaxSize(16)
                .map(ids -> ids.stream().map(id -> new Node(id, "host-" + id, 8080)).toList());
    }

    /** Rings built by create and then one membership change, at Q from 1 to 1024. */
    @Property
    void everyPreferenceListHoldsEachMemberOnceAndStartsWithTheOwner(
            @ForAll("nodes") List<Node> nodes, @ForAll @IntRange(max = 10) int log2q, @ForAll boolean dropFirst) {
        RingSnapshot ring = RingSnapshot.create(1, 1 << log2q, nodes);
        if (dropFirst && nodes.size() > 1) {
            ring = ring.withMembers(nodes.subList(1, nodes.size()));
        }
        int s = ring.members().size();
        for (int p = 0; p < ring.partitions(); p++) {
            List<String> pref = ring.preferenceList(p);
            assertEquals(s, pref.size());
            assertEquals(s, new HashSet<>(pref).size(), "duplicates in " + pref);
            assertEquals(ring.members().keySet(), Set.copyOf(pref));
            assertEquals(ring.owners().get(p), pref.get(0));
            assertEquals(pref, ring.preferenceNodes(p).stream().map(Node::id).toList());
        }
    }

    /** The i-th node of a preference list is the i-th distinct owner met walking clockwise. */
    @Property
    void preferenceListFollowsTheClockwiseWalk(@ForAll("nodes") List<Node> nodes, @ForAll @IntRange(max = 255) int partition) {
        RingSnapshot ring = RingSnapshot.create(1, 256, nodes);
        List<String> pref = ring.preferenceList(partition);
        List<String> seen = new ArrayList<>();
        for (int step = 0; step < 256; step++) {
            String owner = ring.owners().get((partition + step) % 256);
            if (!seen.contains(owner)) {
                seen.add(owner);
            }
        }
        assertEquals(seen, pref.subList(0, seen.size()));
        assertTrue(seen.size() == pref.size() || nodes.size() > 256);
    }
}
