package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The laws of dotted version vector sets, over states of simulated histories. */
class DvvSetProperties {

    @Provide
    Arbitrary<DvvWorld> worlds() {
        return DvvWorld.worlds();
    }

    @Property
    void syncIsCommutative(@ForAll("worlds") DvvWorld world, @ForAll int x, @ForAll int y) {
        DvvSet a = world.state(x);
        DvvSet b = world.state(y);
        assertEquals(a.sync(b), b.sync(a));
    }

    @Property
    void syncIsAssociative(@ForAll("worlds") DvvWorld world, @ForAll int x, @ForAll int y, @ForAll int z) {
        DvvSet a = world.state(x);
        DvvSet b = world.state(y);
        DvvSet c = world.state(z);
        assertEquals(a.sync(b).sync(c), a.sync(b.sync(c)));
    }

    @Property
    void syncIsIdempotent(@ForAll("worlds") DvvWorld world, @ForAll int x) {
        DvvSet a = world.state(x);
        assertEquals(a, a.sync(a));
    }

    @Property
    void syncIsAnUpperBoundAndInventsNoValue(@ForAll("worlds") DvvWorld world, @ForAll int x, @ForAll int y) {
        DvvSet a = world.state(x);
        DvvSet b = world.state(y);
        DvvSet merged = a.sync(b);
        assertTrue(merged.descends(a) && merged.descends(b));
        Set<Sibling> union = new HashSet<>(a.values());
        union.addAll(b.values());
        assertTrue(union.containsAll(merged.values()), () -> "invented values: " + merged);
    }

    @Property
    void descendsMeansSyncChangesNothing(@ForAll("worlds") DvvWorld world, @ForAll int x, @ForAll int y) {
        DvvSet a = world.state(x);
        DvvSet b = world.state(y);
        assertEquals(a.descends(b), a.sync(b).equals(a));
    }

    @Property
    void writeWithTheFullContextLeavesExactlyOneValue(@ForAll("worlds") DvvWorld world,
                                                      @ForAll @IntRange(min = 0, max = 2) int replica) {
        DvvSet merged = world.merged();
        String node = DvvWorld.NODES.get(replica);
        Sibling value = DvvWorld.value("resolved", node);

        assertEquals(List.of(value), merged.update(merged.context(), value, node).values());
        // also at a replica that has not seen everything yet
        assertEquals(List.of(value), world.replicas[replica].update(merged.context(), value, node).values());
    }

    @Property
    void blindWriteAddsASiblingAndKeepsEverything(@ForAll("worlds") DvvWorld world,
                                                  @ForAll @IntRange(min = 0, max = 2) int replica) {
        DvvSet before = world.replicas[replica];
        String node = DvvWorld.NODES.get(replica);
        Sibling value = DvvWorld.value("blind", node);

        DvvSet after = before.update(VersionVector.empty(), value, node);

        assertEquals(before.size() + 1, after.size());
        assertTrue(after.values().containsAll(before.values()));
        assertTrue(after.values().contains(value));
        assertTrue(after.descends(before));
    }

    @Property
    void writeRemovesExactlyTheValuesItsContextCovers(@ForAll("worlds") DvvWorld world,
                                                      @ForAll @IntRange(min = 0, max = 2) int replica,
                                                      @ForAll int contextSource) {
        DvvSet before = world.replicas[replica];
        VersionVector context = world.state(contextSource).context();
        String node = DvvWorld.NODES.get(replica);
        Sibling value = DvvWorld.value("new", node);

        DvvSet after = before.update(context, value, node);

        List<Sibling> expected = new ArrayList<>();
        for (DvvSet.Entry e : before.entries()) {
            for (int k = 0; k < e.values().size(); k++) {
                long dotCounter = e.counter() - k;
                if (dotCounter > context.get(e.nodeId())) {
                    expected.add(e.values().get(k)); // not seen by the client: concurrent, kept
                }
            }
        }
        expected.add(value);
        assertEquals(new HashSet<>(expected), new HashSet<>(after.values()));
        assertEquals(expected.size(), after.size());
        assertTrue(after.context().descends(context));
    }

    @Property
    void newValueGetsTheNextDotOfTheWritingNode(@ForAll("worlds") DvvWorld world,
                                                @ForAll @IntRange(min = 0, max = 2) int replica,
                                                @ForAll int contextSource) {
        DvvSet before = world.replicas[replica];
        VersionVector context = world.state(contextSource).context();
        String node = DvvWorld.NODES.get(replica);

        DvvSet after = before.update(context, DvvWorld.value("x", node), node);

        long expected = Math.max(before.context().get(node), context.get(node)) + 1;
        assertEquals(expected, after.context().get(node));
    }

    @Property
    void replicasConvergeAfterExchangingStates(@ForAll("worlds") DvvWorld world) {
        DvvSet merged = world.merged();
        for (DvvSet replica : world.replicas) {
            assertEquals(merged, replica.sync(merged));
            assertEquals(merged, merged.sync(replica));
        }
    }
}
