package io.kvorum.node.quorum;

/** Where a quorum stands: still waiting, reached, or no longer reachable. */
public enum QuorumOutcome {
    PENDING, SUCCEEDED, FAILED
}
