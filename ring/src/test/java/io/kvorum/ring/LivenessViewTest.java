package io.kvorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LivenessViewTest {

    @Test
    void allUpMarksEveryIdUpSinceNow() {
        LivenessView view = LivenessView.allUp(List.of("a", "b"), 100);
        assertTrue(view.isUp("a"));
        assertEquals(NodeStatus.UP, view.status("b"));
        assertEquals(100, view.since("b"));
        assertEquals(Set.of("a", "b"), view.upIds());
    }

    @Test
    void unknownIdsAreDown() {
        LivenessView view = LivenessView.allUp(List.of("a"), 100);
        assertFalse(view.isUp("z"));
        assertEquals(NodeStatus.DOWN, view.status("z"));
        assertEquals(0, view.since("z"));
    }

    @Test
    void changingStatusRecordsWhenAndKeepsTheOldView() {
        LivenessView before = LivenessView.allUp(List.of("a", "b"), 100);
        LivenessView after = before.withStatus("b", NodeStatus.DOWN, 250);
        assertEquals(NodeStatus.DOWN, after.status("b"));
        assertEquals(250, after.since("b"));
        assertEquals(100, after.since("a"));
        assertTrue(before.isUp("b"));
        assertEquals(Set.of("a"), after.upIds());
    }

    @Test
    void unchangedStatusReturnsTheSameViewSoSinceIsKept() {
        LivenessView view = LivenessView.allUp(List.of("a"), 100);
        assertSame(view, view.withStatus("a", NodeStatus.UP, 999));
        LivenessView down = view.withStatus("a", NodeStatus.DOWN, 200);
        assertSame(down, down.withStatus("a", NodeStatus.DOWN, 300));
        assertEquals(200, down.since("a"));
    }

    @Test
    void learnsAboutNewIds() {
        LivenessView view = LivenessView.allUp(List.of("a"), 100).withStatus("n", NodeStatus.UP, 150);
        assertTrue(view.isUp("n"));
        assertEquals(150, view.since("n"));
    }

    @Test
    void isImmutableAndValidated() {
        Map<String, NodeStatus> statuses = new HashMap<>(Map.of("a", NodeStatus.UP));
        Map<String, Long> since = new HashMap<>(Map.of("a", 5L));
        LivenessView view = new LivenessView(statuses, since);
        statuses.put("a", NodeStatus.DOWN);
        assertTrue(view.isUp("a"));
        assertThrows(UnsupportedOperationException.class, () -> view.statuses().clear());
        assertThrows(IllegalArgumentException.class, () -> new LivenessView(Map.of("a", NodeStatus.UP), Map.of()));
    }
}
