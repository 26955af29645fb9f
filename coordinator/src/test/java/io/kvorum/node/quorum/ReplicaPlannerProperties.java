package io.kvorum.node.quorum;

import io.kvorum.ring.LivenessView;
import io.kvorum.ring.Node;
import io.kvorum.ring.NodeStatus;
import io.kvorum.ring.RingSnapshot;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaPlannerProperties {

    static RingSnapshot ring(int size) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            nodes.add(new Node("n" + i, "127.0.0." + i, 8080));
        }
        return RingSnapshot.create(1, 64, nodes);
    }

    static LivenessView downs(RingSnapshot ring, Set<String> down) {
        LivenessView v = LivenessView.allUp(ring.members().keySet(), 0);
        for (String d : down) {
            v = v.withStatus(d, NodeStatus.DOWN, 1);
        }
        return v;
    }

    @Test
    void aDownPrimaryGetsTheNextLiveFallbackOnlyWhenSloppy() {
        RingSnapshot ring = ring(5);
        List<String> pref = ring.preferenceList(7);
        LivenessView view = downs(ring, Set.of(pref.get(1), pref.get(3)));
        ReplicaPlan strict = ReplicaPlanner.plan(ring, view, 7, 3, 2, false);
        assertEquals(List.of(pref.get(0), pref.get(2)), strict.targetIds());
        assertEquals(Map.of(), strict.standIns());

        ReplicaPlan sloppy = ReplicaPlanner.plan(ring, view, 7, 3, 2, true);
        assertEquals(List.of(pref.get(0), pref.get(2), pref.get(4)), sloppy.targetIds());
        assertEquals(Map.of(pref.get(4), pref.get(1)), sloppy.standIns());
        assertEquals(List.of(pref.get(0), pref.get(2)), sloppy.primaryTargets().stream().map(Node::id).toList());
    }

    @Property(tries = 500)
    void sloppyTargetsAreDistinctLiveAndStandInOnlyForDownPrimaries(
            @ForAll @IntRange(min = 1, max = 7) int size, @ForAll @IntRange(min = 0, max = 127) int downMask,
            @ForAll @IntRange(min = 0, max = 63) int partition, @ForAll @IntRange(min = 1, max = 5) int nWanted) {
        RingSnapshot ring = ring(size);
        int n = Math.min(nWanted, size);
        Set<String> down = new HashSet<>();
        for (int i = 0; i < size; i++) {
            if ((downMask & (1 << i)) != 0) {
                down.add("n" + (i + 1));
            }
        }
        LivenessView view = downs(ring, down);
        ReplicaPlan plan = ReplicaPlanner.plan(ring, view, partition, n, 1, true);
        List<String> replicas = plan.replicas().stream().map(Node::id).toList();
        assertEquals(plan.targetIds().size(), new HashSet<>(plan.targetIds()).size(), "distinct targets");
        assertTrue(plan.targetIds().size() <= n);
        plan.targetIds().forEach(t -> assertFalse(down.contains(t), t + " is down"));
        plan.standIns().forEach((fallback, primary) -> {
            assertFalse(replicas.contains(fallback), "a fallback is not a replica");
            assertTrue(down.contains(primary) && replicas.contains(primary), "stands in for a down replica");
        });
        long livePrimaries = replicas.stream().filter(r -> !down.contains(r)).count();
        long liveFallbacks = ring.preferenceList(partition).subList(n, size).stream().filter(f -> !down.contains(f)).count();
        assertEquals(livePrimaries + Math.min(n - livePrimaries, liveFallbacks), plan.targetIds().size(),
                "every down primary gets a fallback while live fallbacks last");
    }
}
