package io.kvorum.ring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingSnapshotTest {
    private static final Node A = new Node("a", "h1", 8081);
    private static final Node B = new Node("b", "h2", 8081);
    private static final Node C = new Node("c", "h3", 8081);
    private static final Node D = new Node("d", "h4", 8081);

    @Test
    void preferenceListWalksClockwiseCollectingDistinctOwnersThenNonOwnersSorted() {
        RingSnapshot ring = new RingSnapshot(3, 4, members(A, B, C, D), List.of("a", "a", "b", "c"));
        assertEquals(List.of("a", "b", "c", "d"), ring.preferenceList(0));
        assertEquals(List.of("a", "b", "c", "d"), ring.preferenceList(1));
        assertEquals(List.of("b", "c", "a", "d"), ring.preferenceList(2));
        assertEquals(List.of("c", "a", "b", "d"), ring.preferenceList(3));
        assertEquals(List.of(C, A, B, D), ring.preferenceNodes(3));
    }

    @Test
    void createDealsPartitionsRoundRobin() {
        RingSnapshot ring = RingSnapshot.create(1, 8, List.of(C, A, B));
        assertEquals(1, ring.epoch());
        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b"), ring.owners());
        assertEquals(Map.of("a", 3, "b", 3, "c", 2), ring.ownership());
        assertEquals(List.of("a", "b", "c"), ring.preferenceList(0));
        assertEquals(List.of("c", "a", "b"), ring.preferenceList(5));
    }

    @Test
    void withMembersRebalancesIntoTheNextEpoch() {
        RingSnapshot ring = RingSnapshot.create(7, 256, List.of(A, B, C));
        RingSnapshot joined = ring.withMembers(List.of(A, B, C, D));
        assertEquals(8, joined.epoch());
        assertEquals(Map.of("a", 64, "b", 64, "c", 64, "d", 64), joined.ownership());
        assertEquals(64, ClaimTest.moved(ring.owners(), joined.owners()));

        RingSnapshot left = joined.withMembers(List.of(A, C, D));
        assertEquals(9, left.epoch());
        assertFalse(left.isMember("b"));
        assertFalse(left.owners().contains("b"));
    }

    @Test
    void withMembersPicksUpAddressChangesWithoutMovingPartitions() {
        RingSnapshot ring = RingSnapshot.create(1, 16, List.of(A, B));
        Node movedB = new Node("b", "elsewhere", 9000);
        RingSnapshot next = ring.withMembers(List.of(A, movedB));
        assertEquals(movedB, next.member("b"));
        assertEquals(ring.owners(), next.owners());
    }

    @Test
    void partitionOfUsesTheRingPartitioner() {
        RingSnapshot ring = RingSnapshot.create(1, 64, List.of(A, B));
        byte[] key = "k".getBytes(UTF_8);
        assertEquals(new Partitioner(64).partitionOf(KeyHasher.token("b", key)), ring.partitionOf("b", key));
        assertEquals(new Partitioner(64), ring.partitioner());
    }

    @Test
    void memberLooksUpByIdAndRejectsStrangers() {
        RingSnapshot ring = RingSnapshot.create(1, 16, List.of(A, B));
        assertEquals(B, ring.member("b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.member("z"));
        assertTrue(e.getMessage().contains("'z'"), e.getMessage());
    }

    @Test
    void validatesItsParts() {
        Map<String, Node> ab = members(A, B);
        assertThrows(IllegalArgumentException.class, () -> new RingSnapshot(1, 4, ab, List.of("a", "b", "a")));
        assertThrows(IllegalArgumentException.class, () -> new RingSnapshot(1, 4, ab, List.of("a", "b", "a", "z")));
        assertThrows(IllegalArgumentException.class, () -> new RingSnapshot(1, 3, ab, List.of("a", "b", "a")));
        assertThrows(IllegalArgumentException.class, () -> new RingSnapshot(-1, 2, ab, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> new RingSnapshot(1, 2, Map.of("x", A), List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> new RingSnapshot(1, 2, Map.of(), List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> RingSnapshot.create(1, 4, List.of(A, new Node("a", "other", 1))));
        assertThrows(IllegalArgumentException.class, () -> RingSnapshot.create(1, 4, List.of(A)).preferenceList(4));
    }

    @Test
    void copiesItsCollections() {
        Map<String, Node> members = new HashMap<>(members(A, B));
        List<String> owners = new ArrayList<>(List.of("a", "b"));
        RingSnapshot ring = new RingSnapshot(1, 2, members, owners);
        members.remove("b");
        owners.set(1, "a");
        assertEquals(List.of("a", "b"), ring.owners());
        assertEquals(2, ring.members().size());
        assertThrows(UnsupportedOperationException.class, () -> ring.members().clear());
        assertThrows(UnsupportedOperationException.class, () -> ring.owners().set(0, "b"));
    }

    static Map<String, Node> members(Node... nodes) {
        Map<String, Node> map = new HashMap<>();
        for (Node n : nodes) {
            map.put(n.id(), n);
        }
        return map;
    }
}
