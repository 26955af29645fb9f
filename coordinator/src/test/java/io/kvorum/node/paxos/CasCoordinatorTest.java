package io.kvorum.node.paxos;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.ConflictMode;
import io.kvorum.node.bucket.ReadRepairMode;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.http.ApiError;
import io.kvorum.node.paxos.CasCoordinator.CasCommand;
import io.kvorum.node.paxos.CasCoordinator.CasResult;
import io.kvorum.node.paxos.CasCoordinator.Outcome;
import io.kvorum.node.quorum.ConsistencyLevel;
import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.ring.Clock;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.ring.Node;
import io.kvorum.ring.RingSnapshot;
import io.kvorum.storage.InMemoryPaxosStore;
import io.kvorum.storage.InMemoryStorageEngine;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Acceptor.AcceptOutcome;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareReply;
import io.kvorum.storage.paxos.Ballot;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import io.kvorum.storage.paxos.PaxosReplica;
import io.kvorum.storage.paxos.Proposal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proposer against three real acceptors (in-memory stores), with a fault-injecting client in
 * between: the in-progress cases, the CASSANDRA-12126 case, contention and round trips.
 */
class CasCoordinatorTest {
    static final List<Node> MEMBERS = List.of(Node.parse("n1@127.0.0.1:9001"), Node.parse("n2@127.0.0.1:9002"),
            Node.parse("n3@127.0.0.1:9003"));
    static final BucketProps LWW = new BucketProps(3, ConsistencyLevel.QUORUM, ConsistencyLevel.QUORUM,
            ConflictMode.LWW, false, ReadRepairMode.ASYNC, 64);
    static final BucketProps SIBLINGS = BucketProps.defaults();
    static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    Vertx vertx;
    final Map<String, InMemoryPaxosStore> stores = new LinkedHashMap<>();
    final Map<String, InMemoryStorageEngine> engines = new LinkedHashMap<>();
    final Map<String, PaxosReplica> acceptors = new LinkedHashMap<>();
    final FaultyClient client = new FaultyClient();
    final ClusterView view = new ClusterView("n1", RingSnapshot.create(1, 8, MEMBERS), 0);
    final HlcGenerator hlc = new HlcGenerator(Clock.system(), "n1");
    StorageKey storageKey;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        for (Node n : MEMBERS) {
            stores.put(n.id(), new InMemoryPaxosStore());
            engines.put(n.id(), new InMemoryStorageEngine());
            acceptors.put(n.id(), new PaxosReplica(stores.get(n.id()), engines.get(n.id())));
        }
        storageKey = new StorageKey(view.ring().partitionOf("b", KEY), "b", KEY);
    }

    @AfterEach
    void tearDown() throws Exception {
        stores.values().forEach(InMemoryPaxosStore::close);
        engines.values().forEach(InMemoryStorageEngine::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Routes to the acceptors; a call to a node in {@code down} fails as a timeout would. */
    final class FaultyClient implements PaxosClient {
        final Set<String> down = ConcurrentHashMap.newKeySet();
        volatile boolean rejectAllPrepares;
        /** Runs once, before the second prepare round starts. */
        volatile Runnable beforeSecondRound;
        private int prepares;
        /** Nodes whose next propose fails (a lost message), once each. */
        final Set<String> loseNextPropose = ConcurrentHashMap.newKeySet();
        final List<String> log = new ArrayList<>();

        private <T> Future<T> route(String phase, Node node, java.util.function.Supplier<CompletableFuture<T>> call) {
            synchronized (log) {
                log.add(phase + ":" + node.id());
            }
            if (down.contains(node.id())) {
                return Future.failedFuture(new RuntimeException(node.id() + " unreachable"));
            }
            return LocalReplica.onCaller(call.get());
        }

        @Override
        public Future<Promise> prepare(Node replica, StorageKey key, Ballot ballot, Call call) {
            Runnable hook = null;
            synchronized (log) {
                if (++prepares == MEMBERS.size() + 1 && beforeSecondRound != null) {
                    hook = beforeSecondRound;
                    beforeSecondRound = null;
                }
            }
            if (hook != null) {
                hook.run();
            }
            if (rejectAllPrepares) {
                Ballot higher = Ballot.of(ballot.stamp().wallMillis() + 1, 0, "rival");
                return Future.succeededFuture(new Promise(new PrepareReply(PrepareOutcome.REJECTED, higher,
                        Optional.empty(), Optional.empty()), Optional.empty()));
            }
            return route("prepare", replica, () -> acceptors.get(replica.id()).prepare(key, ballot));
        }

        @Override
        public Future<AcceptReply> propose(Node replica, StorageKey key, Proposal proposal, Call call) {
            if (loseNextPropose.remove(replica.id())) {
                return Future.failedFuture(new RuntimeException("lost"));
            }
            return route("propose", replica, () -> acceptors.get(replica.id()).propose(key, proposal));
        }

        @Override
        public Future<CommitOutcome> commit(Node replica, StorageKey key, Proposal proposal, Call call) {
            return route("commit", replica, () -> acceptors.get(replica.id()).commit(key, proposal));
        }
    }

    CasCoordinator coordinator(int maxAttempts) {
        return new CasCoordinator(vertx, view, client, hlc, Clock.system(), new Random(42), 1, maxAttempts,
                CasCoordinator.CasListener.NONE);
    }

    CasResult run(CasCoordinator cas, BucketProps props, CasOperation op) throws Exception {
        return CasRuns.await(vertx, cas, new CasCommand("b", KEY, props, op, 5_000, "t"), 30);
    }

    static CasOperation put(String value) {
        return (current, now) -> new CasOperation.Apply(sibling(value));
    }

    static CasOperation ifAbsent(String value) {
        Precondition p = Precondition.parse(null, "*").orElseThrow();
        return (current, now) -> p.holds(current) ? new CasOperation.Apply(sibling(value)) : new CasOperation.Refuse(p);
    }

    static Sibling sibling(String value) {
        return Sibling.of(value.getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(0, 0, "x"));
    }

    static String text(Optional<KeyRecord> record) {
        return record.filter(r -> !r.isDeleted()).map(r -> new String(r.liveSiblings().get(0).value(),
                StandardCharsets.UTF_8)).orElse(null);
    }

    /** A dead proposer's doing, driven directly at the acceptors: prepare at all, accept at {@code at}. */
    Proposal acceptedOnlyAt(Set<String> at, String value, BucketProps props) throws Exception {
        Ballot ballot = new Ballot(new HlcGenerator(Clock.system(), "n9").now());
        for (PaxosReplica a : acceptors.values()) {
            a.prepare(storageKey, ballot).get(5, TimeUnit.SECONDS);
        }
        Proposal p = Proposal.of(ballot, CasUpdates.build(Optional.empty(), sibling(value), ballot,
                props.conflict() == ConflictMode.LWW));
        for (String id : at) {
            assertEquals(AcceptOutcome.ACCEPTED, acceptors.get(id).propose(storageKey, p).get(5, TimeUnit.SECONDS)
                    .outcome());
        }
        return p;
    }

    @Test
    void anUncontendedCasTakesThreeRoundTripsAndASerialReadTwo() throws Exception {
        CasCoordinator cas = coordinator(10);
        CasResult w = run(cas, LWW, put("v1"));
        assertEquals(Outcome.APPLIED, w.outcome());
        assertEquals(1, w.attempts());
        assertEquals(3, w.roundTrips(), "prepare (with the read), propose, commit");
        assertEquals(9, w.calls());
        for (InMemoryStorageEngine e : engines.values()) {
            assertEquals("v1", text(e.read(storageKey).get(5, TimeUnit.SECONDS)), "committed at every replica");
        }
        CasResult r = run(cas, LWW, CasOperation.read());
        assertEquals(Outcome.READ, r.outcome());
        assertEquals("v1", text(r.record()));
        assertEquals(2, r.roundTrips(), "prepare (with the read), then the fence");
    }

    @Test
    void aFailedConditionIsRefusedWithTheCurrentValueAndWritesNothing() throws Exception {
        CasCoordinator cas = coordinator(10);
        assertEquals(Outcome.APPLIED, run(cas, SIBLINGS, ifAbsent("first")).outcome());
        CasResult second = run(cas, SIBLINGS, ifAbsent("second"));
        assertEquals(Outcome.REFUSED, second.outcome());
        assertEquals("first", text(second.record()));
        assertEquals("first", text(run(cas, SIBLINGS, CasOperation.read()).record()));
    }

    @Test
    void anAcceptAtOneAcceptorThenTheProposerDiedTwoSerialReadsInARowAgree() throws Exception {
        acceptedOnlyAt(Set.of("n3"), "ghost", LWW);
        CasCoordinator cas = coordinator(10);
        client.down.add("n3"); // the first read's quorum is n1, n2: it does not see the accepted value
        CasResult first = run(cas, LWW, CasOperation.read());
        client.down.clear(); // the second read's quorum includes n3, which still holds it
        client.down.add("n1");
        CasResult second = run(cas, LWW, CasOperation.read());
        client.down.clear();
        CasResult third = run(cas, LWW, CasOperation.read());
        assertEquals(text(first.record()), text(second.record()), "a later read contradicted an earlier one");
        assertEquals(text(first.record()), text(third.record()));
        assertEquals(null, text(first.record()), "the fenced value is never completed");
    }

    @Test
    void anAcceptAtOneAcceptorSeenByTheFirstSerialReadIsCompletedAndStays() throws Exception {
        acceptedOnlyAt(Set.of("n3"), "ghost", LWW);
        CasCoordinator cas = coordinator(10);
        client.down.add("n1"); // the first read's quorum n2, n3 sees it in progress and completes it
        CasResult first = run(cas, LWW, CasOperation.read());
        client.down.clear();
        client.down.add("n3");
        CasResult second = run(cas, LWW, CasOperation.read());
        assertEquals("ghost", text(first.record()));
        assertEquals("ghost", text(second.record()));
        assertTrue(first.attempts() >= 2, "completing the in-progress proposal restarts the round");
    }

    @Test
    void aProposalAcceptedByAQuorumButNeverCommittedIsCompletedBeforeANewCondition() throws Exception {
        acceptedOnlyAt(Set.of("n1", "n2"), "chosen", SIBLINGS);
        CasResult r = run(coordinator(10), SIBLINGS, ifAbsent("mine"));
        assertEquals(Outcome.REFUSED, r.outcome(), "the chosen value exists: If-None-Match fails");
        assertEquals("chosen", text(r.record()));
        for (InMemoryStorageEngine e : engines.values()) {
            assertEquals("chosen", text(e.read(storageKey).get(5, TimeUnit.SECONDS)));
        }
    }

    @Test
    void aReplicaBehindTheMostRecentCommitIsSentTheCommitBeforeANewValue() throws Exception {
        Proposal p = acceptedOnlyAt(Set.of("n1", "n2"), "committed", LWW);
        acceptors.get("n1").commit(storageKey, p).get(5, TimeUnit.SECONDS); // the proposer died mid-commit
        CasResult r = run(coordinator(10), LWW, CasOperation.read());
        assertEquals("committed", text(r.record()));
        assertTrue(r.attempts() >= 2 && r.attempts() <= 3, "rounds to bring the promisers up to date, then the read: "
                + r.attempts());
        int learnt = 0;
        for (String id : stores.keySet()) {
            Optional<Proposal> mrc = stores.get(id).read(storageKey).get(5, TimeUnit.SECONDS).mostRecentCommit();
            if (mrc.flatMap(Proposal::update).equals(p.update())) {
                learnt++;
                assertEquals("committed", text(engines.get(id).read(storageKey).get(5, TimeUnit.SECONDS)));
            }
        }
        assertTrue(learnt >= 2, "a quorum has learnt the commit before the answer");
    }

    @Test
    void aProposalThatReachedOneAcceptorIsCompletedByItsOwnRetryAndReportedApplied() throws Exception {
        client.loseNextPropose.addAll(Set.of("n2", "n3"));
        CasResult r = run(coordinator(10), SIBLINGS, ifAbsent("mine"));
        assertEquals(Outcome.APPLIED, r.outcome(), "not a 412 for its own value");
        assertEquals(2, r.attempts());
        assertEquals("mine", text(run(coordinator(10), SIBLINGS, CasOperation.read()).record()));
    }

    @Test
    void aProposalCompletedByAnotherProposerAndThenOvertakenIsAnsweredWithTheRecordItMadeNotTheCurrentOne()
            throws Exception {
        client.loseNextPropose.addAll(Set.of("n2", "n3"));
        client.beforeSecondRound = () -> {
            try {
                // another proposer finds our value accepted at n1, completes it, then commits its own after it
                Ballot b1 = Ballot.of(System.currentTimeMillis() + 60_000, 0, "n9");
                Proposal ours = null;
                for (String id : List.of("n1", "n2", "n3")) {
                    Optional<Proposal> accepted = acceptors.get(id).prepare(storageKey, b1).get(5, TimeUnit.SECONDS)
                            .reply().accepted();
                    if (accepted.isPresent()) {
                        ours = accepted.get().withBallot(b1);
                    }
                }
                for (String id : List.of("n1", "n2", "n3")) {
                    acceptors.get(id).propose(storageKey, ours).get(5, TimeUnit.SECONDS);
                    acceptors.get(id).commit(storageKey, ours).get(5, TimeUnit.SECONDS);
                }
                Ballot b2 = Ballot.of(System.currentTimeMillis() + 120_000, 0, "n9");
                Proposal theirs = Proposal.of(b2, CasUpdates.build(Optional.of(ours.update().orElseThrow()),
                        sibling("theirs"), b2, false), Proposal.hashOf(ours.update().orElseThrow()));
                for (String id : List.of("n1", "n2", "n3")) {
                    acceptors.get(id).prepare(storageKey, b2).get(5, TimeUnit.SECONDS);
                    acceptors.get(id).propose(storageKey, theirs).get(5, TimeUnit.SECONDS);
                    acceptors.get(id).commit(storageKey, theirs).get(5, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        CasResult r = run(coordinator(20), SIBLINGS, ifAbsent("mine"));
        assertEquals(Outcome.APPLIED, r.outcome(), "our value was committed, by someone else");
        assertEquals("mine", text(r.record()), "the answer (and its ETag) is the record our write made");
        assertEquals("theirs", text(run(coordinator(10), SIBLINGS, CasOperation.read()).record()));
    }

    @Test
    void aProposalThatReachedOneAcceptorAndWasBeatenByTheNextCommitGetsADefinite412() throws Exception {
        client.loseNextPropose.addAll(Set.of("n2", "n3"));
        client.beforeSecondRound = () -> {
            try {
                // another proposer creates the key through n2 and n3; our value stays accepted at n1 only
                Ballot rival = Ballot.of(System.currentTimeMillis() + 60_000, 0, "n9");
                Proposal theirs = Proposal.of(rival, CasUpdates.build(Optional.empty(), sibling("theirs"), rival,
                        false), 0);
                for (String id : List.of("n2", "n3")) {
                    acceptors.get(id).prepare(storageKey, rival).get(5, TimeUnit.SECONDS);
                    acceptors.get(id).propose(storageKey, theirs).get(5, TimeUnit.SECONDS);
                    acceptors.get(id).commit(storageKey, theirs).get(5, TimeUnit.SECONDS);
                }
                client.down.add("n1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        CasResult r = run(coordinator(20), SIBLINGS, ifAbsent("mine"));
        assertEquals(Outcome.REFUSED, r.outcome(), "the next commit after the one we read is theirs: ours never applied");
        assertEquals("theirs", text(r.record()));
        client.down.clear();
        assertEquals("theirs", text(run(coordinator(10), SIBLINGS, CasOperation.read()).record()),
                "our orphan at n1 is never completed");
    }

    @Test
    void underContentionItRetriesWithBackoffAndGivesUpWith504SayingHowManyAttempts() {
        client.rejectAllPrepares = true;
        ApiError e = assertInstanceOf(ApiError.class, assertThrows(Exception.class,
                () -> run(coordinator(5), LWW, put("v"))));
        assertEquals(504, e.status());
        assertTrue(e.detail().contains("contention"), e.detail());
        assertEquals(5, e.extras().get("attempts"));
        assertEquals("none", e.extras().get("applied"));
    }

    @Test
    void fewerThanAQuorumUpInTheViewFailsFastWith503() {
        view.mark("n2", io.kvorum.ring.NodeStatus.DOWN, 1);
        view.mark("n3", io.kvorum.ring.NodeStatus.DOWN, 1);
        ApiError e = assertInstanceOf(ApiError.class, assertThrows(Exception.class,
                () -> run(coordinator(5), LWW, put("v"))));
        assertEquals(503, e.status());
        assertTrue(client.log.isEmpty(), "nothing was sent");
    }

    @Test
    void concurrentCasFromTwoCoordinatorsAppliesExactlyOneCreate() throws Exception {
        CasCoordinator a = coordinator(50);
        CasCoordinator b = new CasCoordinator(vertx, new ClusterView("n2", view.ring(), 0), client,
                new HlcGenerator(Clock.system(), "n2"), Clock.system(), new Random(7), 1, 50,
                CasCoordinator.CasListener.NONE);
        List<CompletableFuture<CasResult>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CasCoordinator c = i % 2 == 0 ? a : b;
            String v = "v" + i;
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return run(c, LWW, ifAbsent(v));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        long applied = 0;
        for (CompletableFuture<CasResult> f : all) {
            if (f.get(60, TimeUnit.SECONDS).outcome() == Outcome.APPLIED) {
                applied++;
            }
        }
        assertEquals(1, applied);
    }
}
