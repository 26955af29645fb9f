package io.kvorum.node.coord;

import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.metrics.NodeMetrics;
import io.kvorum.ring.Clock;
import io.kvorum.ring.Node;
import io.kvorum.ring.NodeStatus;
import io.kvorum.storage.HintStore;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.StorageKey;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores hints on this node for replicas that missed a write (down, failed or too slow), so that
 * handoff brings them up to date when they return. A replica seen DOWN for longer than the hint
 * window gets no new hints: it is expected to be rebuilt, not replayed.
 */
public final class Hinter {
    private static final Logger log = LoggerFactory.getLogger(Hinter.class);

    private final HintStore store;
    private final ClusterView view;
    private final Clock clock;
    private final long windowMillis;
    private final AtomicLong skippedPastWindow = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private final NodeMetrics metrics;

    public Hinter(HintStore store, ClusterView view, Clock clock, long windowMillis, NodeMetrics metrics) {
        this.store = store;
        this.view = view;
        this.clock = clock;
        this.windowMillis = windowMillis;
        this.metrics = metrics;
    }

    public HintStore store() {
        return store;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** Writes not hinted because their target had been down longer than the hint window. */
    public long skippedPastWindow() {
        return skippedPastWindow.get();
    }

    /** Hints that could not be stored (store full or failing). */
    public long failed() {
        return failed.get();
    }

    /** True once the hint is durable; false when it was not stored (past the window, store full). */
    public Future<Boolean> hint(Node target, StorageKey key, KeyRecord record) {
        long now = clock.millis();
        if (view.liveness().status(target.id()) == NodeStatus.DOWN
                && now - view.liveness().since(target.id()) > windowMillis) {
            skippedPastWindow.incrementAndGet();
            metrics.hintDropped(target.id(), "past_window");
            return Future.succeededFuture(false);
        }
        return io.kvorum.node.replica.LocalReplica.onCaller(store.put(target.id(), key, record, now))
                .map(v -> true)
                .otherwise(e -> {
                    failed.incrementAndGet();
                    metrics.hintDropped(target.id(), "not_stored");
                    log.debug("hint for {} not stored: {}", target.id(), e.getMessage());
                    return false;
                });
    }
}
