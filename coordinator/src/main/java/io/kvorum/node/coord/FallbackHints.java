package io.kvorum.node.coord;

import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.ring.Node;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.StorageKey;
import io.vertx.core.Future;

/**
 * Hands a write to a fallback node of a sloppy quorum: the fallback stores it durably as a hint
 * naming the primary it stands in for, and its own handoff delivers it when that primary is seen
 * up again. When this node is the fallback, the hint goes straight to the local store.
 */
public final class FallbackHints {
    private final String selfId;
    private final Hinter hinter;
    private final HttpInternalClient remote;

    public FallbackHints(String selfId, Hinter hinter, HttpInternalClient remote) {
        this.selfId = selfId;
        this.hinter = hinter;
        this.remote = remote;
    }

    /** Succeeds once the fallback holds the hint durably; fails when it refused or could not be reached. */
    public Future<Void> store(Node fallback, Node primary, StorageKey key, KeyRecord record, Call call) {
        if (fallback.id().equals(selfId)) {
            return hinter.hint(primary, key, record).compose(stored -> stored ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new IllegalStateException("the hint for " + primary.id()
                            + " was not stored (hint window passed or hint store full)")));
        }
        return remote.hint(fallback, primary.id(), key, record, call);
    }
}
