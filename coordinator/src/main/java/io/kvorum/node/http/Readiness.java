package io.kvorum.node.http;

import java.util.Optional;

/**
 * Why a node is not ready, if it is not: {@code /ready} is {@code 503} with this reason, so a load
 * balancer stops sending requests to a node whose storage has failed (it refuses all work until
 * it is restarted) as it does for one that is starting or stopping.
 */
public final class Readiness {
    private Readiness() {
    }

    public static Optional<String> notReadyReason(boolean started, boolean recordsHealthy, boolean hintsHealthy,
                                                  boolean paxosHealthy) {
        if (!started) {
            return Optional.of("storage is not open or the node is shutting down");
        }
        String failed = !recordsHealthy ? "record store" : !hintsHealthy ? "hint store" : !paxosHealthy ? "paxos store"
                : null;
        return failed == null ? Optional.empty() : Optional.of("its " + failed + " failed and refuses all work "
                + "(see the node's log); restart the node to recover the last committed state");
    }
}
