package io.kvorum.node.quorum;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuorumTrackerTest {

    @Test
    void quorumOfTwoOfThreeSucceedsAtTheSecondAck() {
        QuorumTracker t = QuorumTracker.of(2, List.of("a", "b", "c")).onSuccess("a");
        assertEquals(QuorumOutcome.PENDING, t.outcome());
        assertEquals(QuorumOutcome.SUCCEEDED, t.onSuccess("c").outcome());
    }

    @Test
    void failsAsSoonAsTheQuorumCanNoLongerBeReached() {
        QuorumTracker t = QuorumTracker.of(2, List.of("a", "b", "c")).onFailure("a", "refused");
        assertEquals(QuorumOutcome.PENDING, t.outcome());
        t = t.onFailure("b", "timeout");
        assertEquals(QuorumOutcome.FAILED, t.outcome());
        assertEquals(1, t.outstanding());
    }

    @Test
    void aReplicaCountsOnceAndStrangersAreIgnored() {
        QuorumTracker t = QuorumTracker.of(2, List.of("a", "b")).onSuccess("a").onSuccess("a").onSuccess("zz");
        assertEquals(1, t.successes());
        assertEquals(QuorumOutcome.PENDING, t.outcome());
        assertEquals(QuorumOutcome.PENDING, t.onFailure("a", "late").outcome());
    }

    @Test
    void tooFewTargetsFailImmediately() {
        assertEquals(QuorumOutcome.FAILED, QuorumTracker.of(3, List.of("a", "b")).outcome());
    }
}
