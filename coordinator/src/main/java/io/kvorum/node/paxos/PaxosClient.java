package io.kvorum.node.paxos;

import io.kvorum.node.replica.Call;
import io.kvorum.ring.Node;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import io.kvorum.storage.paxos.Proposal;
import io.vertx.core.Future;

/** The outbound port to a replica's acceptor, local or remote. Every call has its own deadline. */
public interface PaxosClient {

    /** Phase 1: the promise (or rejection), with the replica's current record of the key. */
    Future<Promise> prepare(Node replica, StorageKey key, Ballot ballot, Call call);

    /** Phase 2: accept (or reject) the proposal. */
    Future<AcceptReply> propose(Node replica, StorageKey key, Proposal proposal, Call call);

    /** Learn a chosen proposal: merge its update into the record and remember it as committed. */
    Future<CommitOutcome> commit(Node replica, StorageKey key, Proposal proposal, Call call);
}
