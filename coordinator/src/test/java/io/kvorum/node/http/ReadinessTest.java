package io.kvorum.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    @Test
    void readyOnlyWhenStartedAndEveryStoreIsHealthy() {
        assertEquals(Optional.empty(), Readiness.notReadyReason(true, true, true, true));
        assertTrue(Readiness.notReadyReason(false, true, true, true).orElseThrow().contains("shutting down"));
        assertTrue(Readiness.notReadyReason(true, false, true, true).orElseThrow().contains("record store failed"));
        assertTrue(Readiness.notReadyReason(true, true, false, true).orElseThrow().contains("hint store failed"));
        assertTrue(Readiness.notReadyReason(true, true, true, false).orElseThrow().contains("paxos store failed"));
        assertTrue(Readiness.notReadyReason(true, false, true, true).orElseThrow().contains("restart"));
    }
}
