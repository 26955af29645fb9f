package io.kvorum.node.coord;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.config.NodeConfig;
import io.kvorum.node.config.NodeConfig.ReadFanout;
import io.kvorum.node.replica.Call;
import io.kvorum.node.replica.ReplicaCallException;
import io.kvorum.node.replica.ReplicaClient;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.ring.Node;
import io.kvorum.ring.RingSnapshot;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.VersionVector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whom a read asks, with readFanout all and required, against replicas that answer, fail or hang. */
class ReadFanoutTest {
    static final List<Node> MEMBERS = List.of(Node.parse("n1@127.0.0.1:9001"), Node.parse("n2@127.0.0.1:9002"),
            Node.parse("n3@127.0.0.1:9003"));
    static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
    static final KeyRecord RECORD = new LwwRecord(new Sibling("v".getBytes(StandardCharsets.UTF_8), "text/plain",
            new HlcTimestamp(1_700_000_000_000L, 0, "n1"), false), VersionVector.empty());

    final Vertx vertx = Vertx.vertx();
    final ClusterView view = new ClusterView("n1", RingSnapshot.create(1, 8, MEMBERS), 0);

    @AfterEach
    void close() {
        vertx.close();
    }

    /** Answers at once, fails at once, or never answers, per replica; records who was asked. */
    static final class Replicas implements ReplicaClient {
        final Set<String> failing;
        final Set<String> hanging;
        final List<String> asked = new CopyOnWriteArrayList<>();

        Replicas(Set<String> failing, Set<String> hanging) {
            this.failing = failing;
            this.hanging = hanging;
        }

        @Override
        public Future<Optional<KeyRecord>> read(Node replica, StorageKey key, Call call) {
            asked.add(replica.id());
            if (failing.contains(replica.id())) {
                return Future.failedFuture(new ReplicaCallException(replica.id(), "refused"));
            }
            return hanging.contains(replica.id()) ? Promise.<Optional<KeyRecord>>promise().future()
                    : Future.succeededFuture(Optional.of(RECORD));
        }

        @Override
        public Future<Void> merge(Node replica, StorageKey key, KeyRecord record, Call call) {
            return Future.succeededFuture();
        }

        @Override
        public Future<KeyRecord> causalWrite(Node replica, StorageKey key, VersionVector context, Sibling value,
                                             int maxSiblings, Call call) {
            throw new UnsupportedOperationException();
        }
    }

    ReadCoordinator.ReadResult read(ReadCoordinator reads, long timeoutMillis) throws Exception {
        return reads.read(new ReadCoordinator.ReadCommand("b", KEY, BucketProps.defaults(), 2, timeoutMillis, "t"))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void askOrderPutsThisNodeFirstAndRotatesTheOthers() {
        List<Node> targets = List.of(MEMBERS.get(1), MEMBERS.get(0), MEMBERS.get(2));
        assertEquals(List.of("n1", "n2", "n3"), ids(ReadCoordinator.askOrder(targets, "n1", 0)));
        assertEquals(List.of("n1", "n3", "n2"), ids(ReadCoordinator.askOrder(targets, "n1", 1)));
        assertEquals(List.of("n1", "n2", "n3"), ids(ReadCoordinator.askOrder(targets, "n1", 2)));
        assertEquals(List.of("n2", "n3"), ids(ReadCoordinator.askOrder(List.of(MEMBERS.get(2), MEMBERS.get(1)), "n1", -1)));
    }

    static List<String> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    @Test
    void allAsksEveryLiveReplica() throws Exception {
        Replicas replicas = new Replicas(Set.of(), Set.of());
        ReadCoordinator reads = new ReadCoordinator(vertx, view, replicas, NodeConfig.Reads.defaults());
        assertEquals(2, read(reads, 5_000).receipt().required());
        assertEquals(Set.of("n1", "n2", "n3"), Set.copyOf(replicas.asked));
    }

    @Test
    void requiredAsksOnlyRReplicasWhenTheyAnswer() throws Exception {
        Replicas replicas = new Replicas(Set.of(), Set.of());
        ReadCoordinator reads = new ReadCoordinator(vertx, view, replicas,
                new NodeConfig.Reads(ReadFanout.REQUIRED, 60_000));
        ReadCoordinator.ReadResult r = read(reads, 5_000);
        assertEquals(RECORD, r.record().orElseThrow());
        assertEquals(2, r.receipt().replied());
        assertEquals(List.of("n1", "n2"), replicas.asked);
        read(reads, 5_000);
        assertEquals(List.of("n1", "n2", "n1", "n3"), replicas.asked, "the remote replica rotates");
        assertEquals(0, reads.speculativeReads());
    }

    @Test
    void aFailedReplicaIsReplacedAtOnce() throws Exception {
        Replicas replicas = new Replicas(Set.of("n2"), Set.of());
        ReadCoordinator reads = new ReadCoordinator(vertx, view, replicas,
                new NodeConfig.Reads(ReadFanout.REQUIRED, 60_000));
        assertEquals(2, read(reads, 5_000).receipt().replied());
        assertEquals(List.of("n1", "n2", "n3"), replicas.asked);
        assertEquals(0, reads.speculativeReads());
    }

    @Test
    void aSlowReplicaIsOvertakenAfterTheSpeculativeDelay() throws Exception {
        Replicas replicas = new Replicas(Set.of(), Set.of("n2"));
        ReadCoordinator reads = new ReadCoordinator(vertx, view, replicas,
                new NodeConfig.Reads(ReadFanout.REQUIRED, 20));
        assertEquals(2, read(reads, 10_000).receipt().replied());
        assertEquals(List.of("n1", "n2", "n3"), replicas.asked);
        assertEquals(1, reads.speculativeReads());
    }

    @Test
    void withoutSpeculationInTimeASlowReplicaTimesTheReadOut() {
        Replicas replicas = new Replicas(Set.of(), Set.of("n2"));
        ReadCoordinator reads = new ReadCoordinator(vertx, view, replicas,
                new NodeConfig.Reads(ReadFanout.REQUIRED, 60_000));
        ExecutionException e = assertThrows(ExecutionException.class, () -> read(reads, 200));
        assertTrue(e.getCause().getMessage().contains("1 of 2"), e.getCause().getMessage());
        assertEquals(List.of("n1", "n2"), replicas.asked, "n3 was never needed before the deadline");
    }
}
