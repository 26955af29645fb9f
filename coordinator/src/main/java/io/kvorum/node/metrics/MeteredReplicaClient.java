package io.kvorum.node.metrics;

import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.ReplicaClient;
import io.kvorum.ring.Clock;
import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.Future;

import java.util.Optional;

/** Records the latency and outcome of every replica call per peer, around another client. */
public final class MeteredReplicaClient implements ReplicaClient {
    private final ReplicaClient delegate;
    private final NodeMetrics metrics;
    private final Clock clock;

    public MeteredReplicaClient(ReplicaClient delegate, NodeMetrics metrics, Clock clock) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.clock = clock;
    }

    private <T> Future<T> timed(Node replica, String op, Future<T> call, long start) {
        return call.andThen(ar -> metrics.replicaCall(replica.id(), op, ar.succeeded(), clock.nanos() - start));
    }

    @Override
    public Future<Optional<KeyRecord>> read(Node replica, StorageKey key, Call call) {
        long start = clock.nanos();
        return timed(replica, "read", delegate.read(replica, key, call), start);
    }

    @Override
    public Future<Void> merge(Node replica, StorageKey key, KeyRecord record, Call call) {
        long start = clock.nanos();
        return timed(replica, "merge", delegate.merge(replica, key, record, call), start);
    }

    @Override
    public Future<KeyRecord> causalWrite(Node replica, StorageKey key, VersionVector context, Sibling value,
                                         int maxSiblings, Call call) {
        long start = clock.nanos();
        return timed(replica, "write", delegate.causalWrite(replica, key, context, value, maxSiblings, call), start);
    }
}
