package io.kvorum.node.paxos;

import io.kvorum.node.quorum.QuorumOutcome;
import io.kvorum.node.quorum.QuorumTracker;
import io.kvorum.node.replica.Call;
import io.kvorum.ring.Node;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.Proposal;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The message fan-out of one compare-and-set: each phase sends one call to each target and folds
 * the replies into its tracker until the tracker is decided or the request deadline passes, then
 * answers the tracker as it stands. Counts the round trips and calls it made.
 */
final class PaxosPhases {
    private final Vertx vertx;
    private final PaxosClient paxos;
    private final StorageKey key;
    private final String requestId;
    private final LongSupplier remainingMillis;
    private int roundTrips;
    private int calls;

    PaxosPhases(Vertx vertx, PaxosClient paxos, StorageKey key, String requestId, LongSupplier remainingMillis) {
        this.vertx = vertx;
        this.paxos = paxos;
        this.key = key;
        this.requestId = requestId;
        this.remainingMillis = remainingMillis;
    }

    int roundTrips() {
        return roundTrips;
    }

    int calls() {
        return calls;
    }

    private Call call() {
        return new Call(Math.max(1, remainingMillis.getAsLong()), requestId);
    }

    Future<PrepareTracker> prepare(List<Node> targets, int required, Ballot ballot) {
        return phase(targets, node -> paxos.prepare(node, key, ballot, call()),
                PrepareTracker.of(required, ids(targets)),
                (t, node, ar) -> ar.succeeded() ? t.onReply(node.id(), ar.result())
                        : t.onFailure(node.id(), CasErrors.reason(ar.cause())),
                t -> t.outcome() != PrepareTracker.Outcome.PENDING);
    }

    Future<ProposeTracker> propose(List<Node> targets, int required, Proposal proposal) {
        return phase(targets, node -> paxos.propose(node, key, proposal, call()),
                ProposeTracker.of(required, ids(targets)),
                (t, node, ar) -> ar.succeeded() ? t.onReply(node.id(), ar.result())
                        : t.onFailure(node.id(), CasErrors.reason(ar.cause())),
                t -> t.outcome() != ProposeTracker.Outcome.PENDING);
    }

    Future<QuorumTracker> commit(List<Node> targets, int required, Proposal proposal) {
        return phase(targets, node -> paxos.commit(node, key, proposal, call()),
                QuorumTracker.of(Math.max(1, required), ids(targets)),
                (t, node, ar) -> ar.succeeded() ? t.onSuccess(node.id())
                        : t.onFailure(node.id(), CasErrors.reason(ar.cause())),
                t -> t.outcome() != QuorumOutcome.PENDING);
    }

    private static List<String> ids(List<Node> targets) {
        return targets.stream().map(Node::id).toList();
    }

    private interface Step<T, R> {
        T apply(T tracker, Node node, AsyncResult<R> reply);
    }

    private <T, R> Future<T> phase(List<Node> targets, Function<Node, Future<R>> send, T initial,
                                   Step<T, R> step, Predicate<T> done) {
        roundTrips++;
        calls += targets.size();
        long remaining = remainingMillis.getAsLong();
        if (remaining <= 0) {
            return Future.succeededFuture(initial);
        }
        Promise<T> promise = Promise.promise();
        Object lock = new Object();
        @SuppressWarnings("unchecked")
        T[] tracker = (T[]) new Object[]{initial};
        long timer = vertx.setTimer(remaining, id -> {
            synchronized (lock) {
                promise.tryComplete(tracker[0]);
            }
        });
        for (Node node : targets) {
            Future<R> reply;
            try {
                reply = send.apply(node);
            } catch (RuntimeException e) {
                reply = Future.failedFuture(e);
            }
            reply.onComplete(ar -> {
                synchronized (lock) {
                    if (promise.future().isComplete()) {
                        return;
                    }
                    tracker[0] = step.apply(tracker[0], node, ar);
                    if (done.test(tracker[0])) {
                        vertx.cancelTimer(timer);
                        promise.tryComplete(tracker[0]);
                    }
                }
            });
        }
        return promise.future();
    }
}
