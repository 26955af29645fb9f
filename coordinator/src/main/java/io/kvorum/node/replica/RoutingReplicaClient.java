package io.kvorum.node.replica;

import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.Future;

import java.util.Optional;

/** Sends calls for this node to the local replica without a network hop, and the rest over HTTP. */
public final class RoutingReplicaClient implements ReplicaClient {
    private final LocalReplica local;
    private final ReplicaClient remote;

    public RoutingReplicaClient(LocalReplica local, ReplicaClient remote) {
        this.local = local;
        this.remote = remote;
    }

    private boolean isLocal(Node replica) {
        return replica.id().equals(local.nodeId());
    }

    @Override
    public Future<Optional<KeyRecord>> read(Node replica, StorageKey key, Call call) {
        return isLocal(replica) ? local.read(key) : remote.read(replica, key, call);
    }

    @Override
    public Future<Void> merge(Node replica, StorageKey key, KeyRecord record, Call call) {
        return isLocal(replica) ? local.merge(key, record).mapEmpty() : remote.merge(replica, key, record, call);
    }

    @Override
    public Future<KeyRecord> causalWrite(Node replica, StorageKey key, VersionVector context, Sibling value,
                                         int maxSiblings, Call call) {
        return isLocal(replica)
                ? local.causalWrite(key, context, value, maxSiblings)
                : remote.causalWrite(replica, key, context, value, maxSiblings, call);
    }
}
