package io.kvorum.node.replica;

import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.Future;

import java.util.Optional;

/** The outbound port to a replica, local or remote. Every call has its own deadline and request id. */
public interface ReplicaClient {

    Future<Optional<KeyRecord>> read(Node replica, StorageKey key, Call call);

    /**
     * Merges a causal value into the replica's state; succeeds once the merge is durable there
     * (the merged record itself is not sent back: no caller needs it).
     */
    Future<Void> merge(Node replica, StorageKey key, KeyRecord record, Call call);

    /**
     * Creates a new version at the replica from the client's context (siblings mode): the replica
     * issues the dot. Fails with an {@code ApiError} 409 when the sibling cap would be passed.
     */
    Future<KeyRecord> causalWrite(Node replica, StorageKey key, VersionVector context, Sibling value,
                                  int maxSiblings, Call call);
}
