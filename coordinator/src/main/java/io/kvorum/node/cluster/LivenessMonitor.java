package io.kvorum.node.cluster;

import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.ring.Clock;
import io.kvorum.ring.Node;
import io.kvorum.ring.NodeStatus;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simple liveness view: every interval this node pings each peer; an answer marks it up, a
 * refused connection, an error or no answer within the interval marks it down. (Gossip with a
 * phi-accrual failure detector replaces this later.)
 */
public final class LivenessMonitor {
    private static final Logger log = LoggerFactory.getLogger(LivenessMonitor.class);

    private final Vertx vertx;
    private final ClusterView view;
    private final HttpInternalClient client;
    private final Clock clock;
    private final long intervalMillis;
    private long timerId = -1;

    public LivenessMonitor(Vertx vertx, ClusterView view, HttpInternalClient client, Clock clock, long intervalMillis) {
        this.vertx = vertx;
        this.view = view;
        this.client = client;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
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
            client.ping(peer, intervalMillis).onComplete(ar -> {
                NodeStatus before = view.liveness().status(peer.id());
                NodeStatus now = ar.succeeded() ? NodeStatus.UP : NodeStatus.DOWN;
                view.mark(peer.id(), now, clock.millis());
                if (before != now) {
                    log.info("peer {} is now {}{}", peer.id(), now,
                            ar.failed() ? " (" + ar.cause().getMessage() + ")" : "");
                }
            });
        }
    }
}
