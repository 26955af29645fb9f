package io.kvorum.node.paxos;

import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.ring.Node;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosCodec;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import io.kvorum.storage.paxos.PaxosReplica;
import io.kvorum.storage.paxos.Proposal;
import io.vertx.core.Future;

/**
 * Sends Paxos calls for this node to the local acceptor without a network hop, and the rest over
 * HTTP to {@code /internal/v1/paxos/...} with the bodies of {@link PaxosCodec}.
 */
public final class RoutingPaxosClient implements PaxosClient {
    public static final String PREPARE_PATH = "/internal/v1/paxos/prepare";
    public static final String PROPOSE_PATH = "/internal/v1/paxos/propose";
    public static final String COMMIT_PATH = "/internal/v1/paxos/commit";

    private final String selfId;
    private final PaxosReplica local;
    private final HttpInternalClient remote;

    public RoutingPaxosClient(String selfId, PaxosReplica local, HttpInternalClient remote) {
        this.selfId = selfId;
        this.local = local;
        this.remote = remote;
    }

    private boolean isLocal(Node replica) {
        return replica.id().equals(selfId);
    }

    @Override
    public Future<Promise> prepare(Node replica, StorageKey key, Ballot ballot, Call call) {
        return isLocal(replica) ? LocalReplica.onCaller(local.prepare(key, ballot))
                : remote.post(replica, PREPARE_PATH, PaxosCodec.encodePrepare(key, ballot), call)
                        .map(PaxosCodec::decodePromise);
    }

    @Override
    public Future<AcceptReply> propose(Node replica, StorageKey key, Proposal proposal, Call call) {
        return isLocal(replica) ? LocalReplica.onCaller(local.propose(key, proposal))
                : remote.post(replica, PROPOSE_PATH, PaxosCodec.encodeKeyedProposal(key, proposal), call)
                        .map(PaxosCodec::decodeAccept);
    }

    @Override
    public Future<CommitOutcome> commit(Node replica, StorageKey key, Proposal proposal, Call call) {
        return isLocal(replica) ? LocalReplica.onCaller(local.commit(key, proposal))
                : remote.post(replica, COMMIT_PATH, PaxosCodec.encodeKeyedProposal(key, proposal), call)
                        .map(PaxosCodec::decodeCommit);
    }
}
