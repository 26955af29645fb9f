package io.kvorum.node.cluster;

import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.ring.Clock;
import io.kvorum.ring.Node;
import io.kvorum.ring.NodeStatus;
import io.vertx.core.Vertx;
import org.slf4j.Logger;

import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * A simple liveness view: every interval this node pings each peer over a connection pool of its
 * own (so pings never queue behind replica traffic). An answer marks the peer up; a refused
 * connection marks it down at once (nothing listens there); a timeout or another error marks it
 * down only after {@code failuresBeforeDown} consecutive failures, so a peer that is merely busy
 * is not convicted by one slow answer. (Gossip with a phi-accrual failure detector replaces this
 * later.)
 */
public final class LivenessMonitor {
    private static final Logger log = LoggerFactory.getLogger(LivenessMonitor.class);

    private final Vertx vertx;
    private final ClusterView view;
    private final HttpInternalClient client;
    private final Clock clock;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final int failuresBeforeDown;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private long timerId = -1;

    public LivenessMonitor(Vertx vertx, ClusterView view, HttpInternalClient client, Clock clock, long intervalMillis,
                           long timeoutMillis, int failuresBeforeDown) {
        this.vertx = vertx;
        this.view = view;
        this.client = client;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.failuresBeforeDown = failuresBeforeDown;
    }

    public void start() {
        pingAll();
        timerId = vertx.setPeriodic(intervalMillis, id -> pingAll());
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void pingAll() {
        for (Node peer : view.ring().members().values()) {
            if (peer.id().equals(view.selfId())) {
                continue;
            }
            client.ping(peer, timeoutMillis).onComplete(ar -> {
                NodeStatus before = view.liveness().status(peer.id());
                int failed = ar.succeeded() ? 0 : failures.merge(peer.id(), 1, Integer::sum);
                if (ar.succeeded()) {
                    failures.remove(peer.id());
                }
                boolean refused = ar.failed() && ar.cause() instanceof ConnectException;
                NodeStatus now = ar.succeeded() ? NodeStatus.UP
                        : refused || failed >= failuresBeforeDown ? NodeStatus.DOWN : before;
                view.mark(peer.id(), now, clock.millis());
                if (before != now) {
                    log.info("peer {} is now {}{}", peer.id(), now,
                            ar.failed() ? " (" + ar.cause().getMessage() + ")" : "");
                }
            });
        }
    }
}
