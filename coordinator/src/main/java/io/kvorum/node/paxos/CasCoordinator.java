package io.kvorum.node.paxos;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.ConflictMode;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.http.ApiError;
import io.kvorum.node.quorum.QuorumTracker;
import io.kvorum.node.quorum.ReplicaPlan;
import io.kvorum.node.quorum.ReplicaPlanner;
import io.kvorum.ring.Clock;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.ring.Node;
import io.kvorum.ring.RingSnapshot;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.CommitMark;
import io.kvorum.storage.paxos.Proposal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a linearizable compare-and-set (or a {@code SERIAL} read) on one key with single-decree
 * Paxos among the key's N primary replicas; see docs/paxos.md. One attempt:
 *
 * <ol>
 *   <li>prepare with a fresh ballot at the live primaries; a quorum of promises also gives the quorum
 *       read (each promise carries the replica's record);
 *   <li>if a promise reports an accepted, uncommitted proposal newer than the most recent commit,
 *       propose it again with this ballot, commit it, and start over;
 *   <li>if some promisers missed the most recent commit, send it to them and start over;
 *   <li>decide on the value read: for a write, propose the new value and commit it at a quorum;
 *       for a failed condition or a read, propose an empty proposal (a fence) so that no lower
 *       ballot can be completed later, then answer.
 * </ol>
 *
 * A rejection (a higher promise) backs off for a random time and retries with a higher ballot,
 * until the attempt limit or the request deadline (504, contention).
 */
public final class CasCoordinator {
    private final Vertx vertx;
    private final ClusterView view;
    private final PaxosClient paxos;
    private final HlcGenerator hlc;
    private final Clock clock;
    private final Random random;
    private final long backoffMillis;
    private final int maxAttempts;
    private final CasListener listener;
    private final java.util.concurrent.ConcurrentHashMap<StorageKey, Future<Void>> turns =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Observes outcomes and retries (metrics). */
    public interface CasListener {
        void finished(String outcome, int attempts);

        void contention(String phase);

        CasListener NONE = new CasListener() {
            @Override
            public void finished(String outcome, int attempts) {
            }

            @Override
            public void contention(String phase) {
            }
        };
    }

    public CasCoordinator(Vertx vertx, ClusterView view, PaxosClient paxos, HlcGenerator hlc, Clock clock,
                          Random random, long backoffMillis, int maxAttempts, CasListener listener) {
        if (backoffMillis < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoffMillis and maxAttempts must be positive");
        }
        this.vertx = vertx;
        this.view = view;
        this.paxos = paxos;
        this.hlc = hlc;
        this.clock = clock;
        this.random = random;
        this.backoffMillis = backoffMillis;
        this.maxAttempts = maxAttempts;
        this.listener = listener;
    }

    public record CasCommand(String bucket, byte[] key, BucketProps props, CasOperation op, long timeoutMillis,
                             String requestId) {
    }

    public enum Outcome { APPLIED, REFUSED, READ }

    /**
     * The answer: for APPLIED the value after the write, else the value read; {@code refusal} is
     * what the operation refused with. {@code roundTrips} counts the phases (each one round trip to
     * the replicas), {@code calls} the replica calls sent.
     */
    public record CasResult(Outcome outcome, Optional<KeyRecord> record, Object refusal, int required, int acked,
                            int attempts, int roundTrips, int calls) {
    }

    public Future<CasResult> execute(CasCommand cmd) {
        RingSnapshot ring = view.ring();
        int n = cmd.props().n();
        int required = n / 2 + 1;
        ReplicaPlan plan;
        try {
            plan = ReplicaPlanner.plan(ring, view.liveness(), ring.partitionOf(cmd.bucket(), cmd.key()), n, required);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ApiError.badRequest(e.getMessage()));
        }
        if (!plan.feasible()) {
            listener.finished("unavailable", 0);
            return Future.failedFuture(CasErrors.unavailable(plan));
        }
        StorageKey storageKey = new StorageKey(plan.partition(), cmd.bucket(), cmd.key());
        Run run = new Run(cmd, plan, storageKey);
        return inTurn(storageKey, run::attempt)
                .onSuccess(r -> listener.finished(r.outcome().name().toLowerCase(Locale.ROOT), r.attempts()));
    }

    /**
     * Runs the compare-and-sets of one key that this node coordinates one after the other: they
     * would only beat each other's ballots. The wait counts against each request's deadline.
     */
    private Future<CasResult> inTurn(StorageKey key, java.util.function.Supplier<Future<CasResult>> op) {
        Promise<Void> done = Promise.promise();
        Future<Void> previous = turns.put(key, done.future());
        Future<Void> start = previous == null ? Future.succeededFuture() : previous;
        return start.compose(x -> op.get()).andThen(ar -> {
            turns.remove(key, done.future());
            done.complete();
        });
    }

    /** One compare-and-set in flight. */
    private final class Run {
        private final CasCommand cmd;
        private final ReplicaPlan plan;
        private final long startNanos = clock.nanos();
        /** Our proposals that reached some acceptors but not a quorum: update → its {@code after}. */
        private final Map<KeyRecord, Long> maybeChosen = new HashMap<>();
        /** The record each of our maybe-chosen updates was built on: its commit makes {@code after(base, update)}. */
        private final Map<KeyRecord, Optional<KeyRecord>> bases = new HashMap<>();
        private Ballot highestSeen;
        private int attempts;
        private final PaxosPhases phases;

        Run(CasCommand cmd, ReplicaPlan plan, StorageKey key) {
            this.cmd = cmd;
            this.plan = plan;
            this.phases = new PaxosPhases(vertx, paxos, key, cmd.requestId(), this::remainingMillis);
        }

        private long remainingMillis() {
            return cmd.timeoutMillis() - TimeUnit.NANOSECONDS.toMillis(clock.nanos() - startNanos);
        }

        private Ballot nextBallot() {
            if (highestSeen != null) {
                hlc.observe(highestSeen.stamp());
            }
            return new Ballot(hlc.now());
        }

        private void seen(Optional<Ballot> ballot) {
            ballot.ifPresent(b -> {
                if (highestSeen == null || b.isAfter(highestSeen)) {
                    highestSeen = b;
                }
            });
        }

        Future<CasResult> attempt() {
            if (remainingMillis() <= 0 || attempts >= maxAttempts) {
                return Future.failedFuture(contended());
            }
            attempts++;
            Ballot ballot = nextBallot();
            return prepare(ballot).compose(t -> switch (t.outcome()) {
                case PROMISED -> onPromised(ballot, t.summary());
                case REJECTED -> {
                    seen(t.rejectedBy());
                    yield retryLater("prepare");
                }
                case FAILED -> Future.failedFuture(unreachable("prepare", t.promises().size(), t.failed()));
                case PENDING -> Future.failedFuture(deadline("prepare", t.promises().size(), false));
            });
        }

        private Future<CasResult> onPromised(Ballot ballot, PrepareSummary summary) {
            switch (summary.next()) {
                case COMPLETE_IN_PROGRESS -> {
                    Proposal repair = summary.inProgress().orElseThrow().withBallot(ballot);
                    return proposeAndCommit(repair, "repair").compose(committed -> {
                        if (!committed) {
                            return retryLater("repair");
                        }
                        KeyRecord update = repair.update().orElseThrow();
                        if (maybeChosen.containsKey(update)) {
                            return Future.succeededFuture(result(Outcome.APPLIED, written(update, summary), null));
                        }
                        return attempt();
                    });
                }
                case SEND_COMMIT -> {
                    Proposal commit = summary.mostRecentCommit().orElseThrow();
                    if (maybeChosen.containsKey(commit.update().orElseThrow())) {
                        return Future.succeededFuture(result(Outcome.APPLIED,
                                written(commit.update().orElseThrow(), summary), null));
                    }
                    List<Node> stale = plan.targets().stream().filter(t -> summary.missingCommit().contains(t.id())).toList();
                    return commitAt(stale, commit, stale.size()).compose(x -> attempt());
                }
                default -> {
                }
            }
            Optional<KeyRecord> lastCommitted = summary.mostRecentCommit().flatMap(Proposal::update)
                    .filter(maybeChosen::containsKey);
            if (lastCommitted.isPresent()) {
                return Future.succeededFuture(result(Outcome.APPLIED, written(lastCommitted.get(), summary), null));
            }
            Set<Long> committed = summary.recentCommits().stream().map(CommitMark::hash).collect(Collectors.toSet());
            Optional<KeyRecord> ours = maybeChosen.keySet().stream()
                    .filter(u -> committed.contains(Proposal.hashOf(u))).findFirst();
            if (ours.isPresent()) {
                // one of our proposals is among the recent commits: it was applied, and later
                // commits may have followed it, so the answer is the record it made, not the current one
                return Future.succeededFuture(result(Outcome.APPLIED, written(ours.get(), summary), null));
            }
            if (!settleMaybeChosen(summary)) {
                return Future.failedFuture(unknownOutcome());
            }
            CasOperation.Decision decision = cmd.op().decide(summary.current(), clock.millis());
            if (decision instanceof CasOperation.Apply apply) {
                KeyRecord update = CasUpdates.build(summary.current(), apply.value(), ballot,
                        cmd.props().conflict() == ConflictMode.LWW);
                long after = summary.mostRecentCommit().flatMap(Proposal::update).map(Proposal::hashOf).orElse(0L);
                Proposal proposal = Proposal.of(ballot, update, after);
                return propose(proposal).compose(t -> switch (t.outcome()) {
                    case ACCEPTED -> commit(proposal).map(acked -> {
                        Optional<KeyRecord> written = after(summary.current(), update);
                        return new CasResult(Outcome.APPLIED, written, null, plan.required(), acked, attempts,
                                phases.roundTrips(), phases.calls());
                    });
                    case REFUSED -> {
                        seen(t.highestPromise());
                        yield retryLater("propose");
                    }
                    case INDETERMINATE -> {
                        seen(t.highestPromise());
                        maybeChosen.put(update, after);
                        bases.put(update, summary.current());
                        yield retryLater("propose");
                    }
                    case PENDING -> {
                        maybeChosen.put(update, after);
                        bases.put(update, summary.current());
                        yield Future.failedFuture(deadline("propose", t.accepted().size(), true));
                    }
                });
            }
            Outcome outcome = decision instanceof CasOperation.Refuse ? Outcome.REFUSED : Outcome.READ;
            Object why = decision instanceof CasOperation.Refuse r ? r.why() : null;
            return propose(Proposal.empty(ballot)).compose(t -> switch (t.outcome()) {
                case ACCEPTED -> Future.succeededFuture(result(outcome, summary.current(), why));
                case REFUSED, INDETERMINATE -> {
                    seen(t.highestPromise());
                    yield retryLater("fence");
                }
                case PENDING -> Future.failedFuture(deadline("propose", t.accepted().size(), false));
            });
        }

        /**
         * Learns what it can about our proposals that reached only some acceptors and are neither in
         * progress nor among the recent commits. Such a proposal can only ever be committed as the
         * commit right after the one its proposer read ({@code after}): if no commit came since that
         * one, the proposal is not chosen and dies once this round gets anything accepted by a
         * quorum; if the recent commits show the commit that came right after it, that one is
         * another value and ours is dead, never applied. Otherwise (the commits since have left the
         * acceptors' windows) nobody can tell: false.
         */
        private boolean settleMaybeChosen(PrepareSummary summary) {
            long mrcHash = summary.mostRecentCommit().flatMap(Proposal::update).map(Proposal::hashOf).orElse(0L);
            Set<Long> followed = summary.recentCommits().stream().map(CommitMark::after).collect(Collectors.toSet());
            boolean known = true;
            for (Map.Entry<KeyRecord, Long> e : new ArrayList<>(maybeChosen.entrySet())) {
                long after = e.getValue();
                if (summary.mostRecentCommit().isEmpty() || mrcHash == after) {
                    continue; // no commit since: settled by this round's quorum accept
                }
                if (followed.contains(after)) {
                    maybeChosen.remove(e.getKey()); // another value was the next commit
                } else {
                    known = false;
                }
            }
            return known;
        }

        /** The record our {@code update} made when it was committed right after the record it was built on. */
        private Optional<KeyRecord> written(KeyRecord update, PrepareSummary summary) {
            return after(bases.getOrDefault(update, summary.current()), update);
        }

        private Optional<KeyRecord> after(Optional<KeyRecord> current, KeyRecord update) {
            return Optional.of(current.map(c -> c.merge(update)).orElse(update));
        }

        private CasResult result(Outcome outcome, Optional<KeyRecord> record, Object why) {
            return new CasResult(outcome, record, why, plan.required(), plan.required(), attempts,
                    phases.roundTrips(), phases.calls());
        }

        /** Proposes and, when accepted by a quorum, commits; true when committed at a quorum. */
        private Future<Boolean> proposeAndCommit(Proposal proposal, String phase) {
            return propose(proposal).compose(t -> switch (t.outcome()) {
                case ACCEPTED -> commit(proposal).map(acked -> true);
                case REFUSED, INDETERMINATE -> {
                    seen(t.highestPromise());
                    yield Future.succeededFuture(false);
                }
                case PENDING -> Future.failedFuture(deadline(phase, t.accepted().size(), false));
            });
        }

        private Future<CasResult> retryLater(String phase) {
            listener.contention(phase);
            long bound = backoffMillis << Math.min(attempts - 1, 6);
            long delay = Math.min(1 + (long) (random.nextDouble() * bound), Math.max(0, remainingMillis()));
            if (remainingMillis() - delay <= 0) {
                return Future.failedFuture(contended());
            }
            Promise<Void> slept = Promise.promise();
            vertx.setTimer(Math.max(1, delay), id -> slept.complete());
            return slept.future().compose(x -> attempt());
        }

        // ---- phases ----

        private Future<PrepareTracker> prepare(Ballot ballot) {
            return phases.prepare(plan.targets(), plan.required(), ballot);
        }

        private Future<ProposeTracker> propose(Proposal proposal) {
            return phases.propose(plan.targets(), plan.required(), proposal);
        }

        /** Commits at every target, answers once a quorum acked; fails when it cannot. */
        private Future<Integer> commit(Proposal proposal) {
            return commitAt(plan.targets(), proposal, plan.required()).compose(t -> switch (t.outcome()) {
                case SUCCEEDED -> Future.succeededFuture(t.successes());
                case FAILED -> Future.failedFuture(commitFailed(t));
                case PENDING -> Future.failedFuture(deadline("commit", t.successes(), true));
            });
        }

        private Future<QuorumTracker> commitAt(List<Node> targets, Proposal proposal, int required) {
            return phases.commit(targets, required, proposal);
        }

        // ---- errors (counted as outcomes) ----

        private ApiError contended() {
            listener.finished("contention", attempts);
            return CasErrors.contended(attempts, cmd.timeoutMillis(), !maybeChosen.isEmpty());
        }

        private ApiError unknownOutcome() {
            listener.finished("unknown", attempts);
            return CasErrors.unknownOutcome(attempts);
        }

        private ApiError deadline(String phase, int replied, boolean mayBeApplied) {
            listener.finished("timeout", attempts);
            return CasErrors.deadline(phase, replied, plan.required(), attempts, cmd.timeoutMillis(),
                    mayBeApplied || !maybeChosen.isEmpty());
        }

        private ApiError unreachable(String phase, int replied, Map<String, String> failures) {
            listener.finished("unavailable", attempts);
            return CasErrors.unreachable(phase, replied, plan.required(), failures, !maybeChosen.isEmpty());
        }

        private ApiError commitFailed(QuorumTracker t) {
            listener.finished("commit_failed", attempts);
            return CasErrors.commitFailed(t);
        }
    }

}
