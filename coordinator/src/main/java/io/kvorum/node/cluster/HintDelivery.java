package io.kvorum.node.cluster;

import io.kvorum.node.metrics.NodeMetrics;
import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.node.replica.ReplicaClient;
import io.kvorum.ring.Clock;
import io.kvorum.ring.Node;
import io.kvorum.storage.Hint;
import io.kvorum.storage.HintStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hinted handoff: every interval, for each target this node holds hints for and that the liveness
 * view sees UP, replays up to a batch of hints (the configured rate) as replica merges, a few
 * lanes at a time, and deletes each hint only after the target acknowledged it (and only if no newer write
 * was coalesced into it meanwhile). Hints older than the hint window are dropped.
 */
public final class HintDelivery {
    private static final Logger log = LoggerFactory.getLogger(HintDelivery.class);
    private static final long EXPIRE_EVERY_MILLIS = 60_000;

    private final Vertx vertx;
    private final ClusterView view;
    private final HintStore store;
    private final ReplicaClient replicas;
    private final Clock clock;
    private final long intervalMillis;
    private final int batch;
    private final long windowMillis;
    private final NodeMetrics metrics;
    private final int lanes;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private long timerId = -1;
    private long lastExpiry;

    public HintDelivery(Vertx vertx, ClusterView view, HintStore store, ReplicaClient replicas, Clock clock,
                        long intervalMillis, int ratePerSecond, int lanes, long windowMillis, NodeMetrics metrics) {
        this.metrics = metrics;
        this.lanes = Math.max(1, lanes);
        this.vertx = vertx;
        this.view = view;
        this.store = store;
        this.replicas = replicas;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.batch = (int) Math.max(1, ratePerSecond * intervalMillis / 1000);
        this.windowMillis = windowMillis;
        this.lastExpiry = clock.millis();
    }

    public void start() {
        timerId = vertx.setPeriodic(intervalMillis, id -> tick());
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void tick() {
        long now = clock.millis();
        if (now - lastExpiry >= EXPIRE_EVERY_MILLIS) {
            lastExpiry = now;
            LocalReplica.onCaller(store.expire(now - windowMillis)).onSuccess(n -> {
                if (n > 0) {
                    log.info("dropped {} hints older than the hint window", n);
                }
            });
        }
        for (Map.Entry<String, Long> e : store.pendingCounts().entrySet()) {
            String target = e.getKey();
            if (e.getValue() > 0 && view.ring().isMember(target) && view.liveness().isUp(target)
                    && busy.add(target)) {
                Node node = view.ring().member(target);
                LocalReplica.onCaller(store.pending(target, batch))
                        .compose(hints -> deliverInLanes(node, hints))
                        .onComplete(ar -> busy.remove(target));
            }
        }
    }

    /**
     * Delivers a batch over {@code lanes} concurrent lanes, each sending its hints one after
     * another, so that the target's group commit (and ours, for the removals) can batch them;
     * each lane stops at its first failure (the target may be gone again).
     */
    private Future<Void> deliverInLanes(Node target, List<Hint> hints) {
        int n = Math.min(lanes, hints.size());
        List<Future<Void>> running = new java.util.ArrayList<>(n);
        for (int lane = 0; lane < n; lane++) {
            List<Hint> mine = new java.util.ArrayList<>();
            for (int i = lane; i < hints.size(); i += n) {
                mine.add(hints.get(i));
            }
            running.add(deliver(target, mine, 0));
        }
        return Future.join(running).mapEmpty();
    }

    /** Delivers hints one after another; stops at the first failure. */
    private Future<Void> deliver(Node target, List<Hint> hints, int index) {
        if (index >= hints.size()) {
            return Future.succeededFuture();
        }
        Hint hint = hints.get(index);
        return replicas.merge(target, hint.key(), hint.record(), Call.of(Math.max(1000, intervalMillis)))
                .compose(ack -> LocalReplica.onCaller(store.remove(hint)))
                .andThen(ar -> {
                    if (ar.succeeded()) {
                        metrics.hintReplayed(target.id());
                    }
                })
                .compose(removed -> deliver(target, hints, index + 1));
    }
}
