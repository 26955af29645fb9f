package io.kvorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ClaimTest {

    @Test
    void initialDealsRoundRobinOverSortedIds() {
        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b"), Claim.initial(8, List.of("c", "a", "b")));
    }

    @Test
    void initialWithMoreNodesThanPartitionsGivesOnePartitionToTheFirstIds() {
        assertEquals(List.of("a", "b"), Claim.initial(2, Set.of("d", "c", "b", "a")));
    }

    @Test
    void initialRejectsNoNodesOrNoPartitions() {
        assertThrows(IllegalArgumentException.class, () -> Claim.initial(8, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Claim.initial(0, List.of("a")));
    }

    @Test
    void rebalanceWithTheSameBalancedMembersMovesNothing() {
        List<String> owners = Claim.initial(256, List.of("a", "b", "c"));
        assertEquals(owners, Claim.rebalance(owners, List.of("c", "b", "a")));
    }

    @Test
    void rebalanceBalancesALopsidedClaimMovingOnlyTheExcess() {
        List<String> owners = new ArrayList<>(Collections.nCopies(12, "a"));
        owners.set(0, "b");
        List<String> next = Claim.rebalance(owners, List.of("a", "b", "c"));
        assertEquals(Map.of("a", 4, "b", 4, "c", 4), counts(next));
        assertEquals("b", next.get(0));
        assertEquals(7, moved(owners, next)); // a gives 7 of its 11; nothing else moves
    }

    @Test
    void rebalanceRejectsAPreviousClaimOfTheWrongSize() {
        List<String> owners = Claim.initial(8, List.of("a", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Claim.rebalance(16, owners, List.of("a", "b")));
        assertEquals("previousOwners has 8 entries but the ring has 16 partitions", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Claim.rebalance(List.of(), List.of("a")));
    }

    @Test
    void rebalanceRejectsNoNodesAndNullOwners() {
        assertThrows(IllegalArgumentException.class, () -> Claim.rebalance(List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Claim.rebalance(java.util.Arrays.asList("a", null), List.of("a")));
    }

    @Test
    void joinFromRoundRobinKeepsConsecutivePartitionsDistinct() {
        List<String> before = Claim.initial(256, List.of("a", "b", "c"));
        List<String> after = Claim.rebalance(before, List.of("a", "b", "c", "d"));
        assertEquals(Map.of("a", 64, "b", 64, "c", 64, "d", 64), counts(after));
        assertEquals(64, moved(before, after));
        for (int p = 0; p < 256; p++) {
            assertEquals(false, after.get(p).equals(after.get((p + 1) % 256)), "partitions " + p + " and " + (p + 1));
        }
    }

    static Map<String, Integer> counts(List<String> owners) {
        Map<String, Integer> counts = new TreeMap<>();
        owners.forEach(o -> counts.merge(o, 1, Integer::sum));
        return counts;
    }

    static int moved(List<String> before, List<String> after) {
        int moved = 0;
        for (int p = 0; p < before.size(); p++) {
            if (!before.get(p).equals(after.get(p))) {
                moved++;
            }
        }
        return moved;
    }
}
