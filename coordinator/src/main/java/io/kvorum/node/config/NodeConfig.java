package io.kvorum.node.config;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.ring.Node;
import io.kvorum.storage.Durability;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything one node needs to start, validated on construction. Read from a file, the
 * environment and flags only by the launcher ({@link ConfigLoader}); every key is documented in
 * docs/operations.md.
 */
public record NodeConfig(
        String nodeId,
        String host,
        int port,
        Path dataDir,
        List<Node> members,
        String secret,
        int partitions,
        BucketProps bucketDefaults,
        Limits limits,
        Durability durability,
        long periodicSyncMillis,
        long pingIntervalMillis,
        long pingTimeoutMillis,
        int pingFailuresBeforeDown,
        long bucketSyncIntervalMillis,
        Hints hints,
        Cas cas) {

    /** Compare-and-set (Paxos) and lease settings. */
    public record Cas(long contentionBackoffMillis, int maxAttempts, long lockMinTtlSeconds, long lockMaxTtlSeconds) {
        public Cas {
            positive("casContentionBackoffMillis", contentionBackoffMillis);
            positive("casMaxAttempts", maxAttempts);
            positive("lockMinTtlSeconds", lockMinTtlSeconds);
            positive("lockMaxTtlSeconds", lockMaxTtlSeconds);
            if (lockMinTtlSeconds > lockMaxTtlSeconds) {
                throw new IllegalArgumentException("lockMinTtlSeconds (" + lockMinTtlSeconds
                        + ") exceeds lockMaxTtlSeconds (" + lockMaxTtlSeconds + ")");
            }
        }

        public static Cas defaults() {
            return new Cas(10, 50, 1, 3600);
        }
    }

    /** Without CAS settings: their defaults. */
    public NodeConfig(String nodeId, String host, int port, Path dataDir, List<Node> members, String secret,
                      int partitions, BucketProps bucketDefaults, Limits limits, Durability durability,
                      long periodicSyncMillis, long pingIntervalMillis, long pingTimeoutMillis,
                      int pingFailuresBeforeDown, long bucketSyncIntervalMillis, Hints hints) {
        this(nodeId, host, port, dataDir, members, secret, partitions, bucketDefaults, limits, durability,
                periodicSyncMillis, pingIntervalMillis, pingTimeoutMillis, pingFailuresBeforeDown,
                bucketSyncIntervalMillis, hints, Cas.defaults());
    }

    /** Hinted handoff settings. */
    public record Hints(long windowMillis, long maxHints, int deliveryRatePerSecond, long deliveryIntervalMillis) {
        public Hints {
            positive("hintWindowMillis", windowMillis);
            if (maxHints < 0) {
                throw new IllegalArgumentException("maxHints must be >= 0, got " + maxHints);
            }
            positive("hintDeliveryRatePerSecond", deliveryRatePerSecond);
            positive("hintDeliveryIntervalMillis", deliveryIntervalMillis);
        }

        public static Hints defaults() {
            return new Hints(3 * 3600_000L, 1_000_000, 1000, 1000);
        }
    }

    /** Request limits; every one is configurable. */
    public record Limits(int maxValueBytes, int maxKeyBytes, long defaultTimeoutMillis, long maxTimeoutMillis,
                         int maxReplicaConnectionsPerPeer) {
        public Limits {
            positive("maxValueBytes", maxValueBytes);
            positive("maxKeyBytes", maxKeyBytes);
            positive("defaultTimeoutMillis", defaultTimeoutMillis);
            positive("maxTimeoutMillis", maxTimeoutMillis);
            positive("maxReplicaConnectionsPerPeer", maxReplicaConnectionsPerPeer);
            if (defaultTimeoutMillis > maxTimeoutMillis) {
                throw new IllegalArgumentException("defaultTimeoutMillis (" + defaultTimeoutMillis
                        + ") exceeds maxTimeoutMillis (" + maxTimeoutMillis + ")");
            }
        }

        public static Limits defaults() {
            return new Limits(1024 * 1024, 1024, 5_000, 60_000, 64);
        }
    }

    public NodeConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(bucketDefaults, "bucketDefaults");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(hints, "hints");
        Objects.requireNonNull(cas, "cas");
        members = List.copyOf(members);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
        if (secret.isBlank()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if (members.stream().noneMatch(m -> m.id().equals(nodeId))) {
            throw new IllegalArgumentException("the member list must contain this node's id '" + nodeId + "'");
        }
        if (members.stream().map(Node::id).distinct().count() != members.size()) {
            throw new IllegalArgumentException("member ids must be distinct: " + members);
        }
        if (partitions < 1 || Integer.bitCount(partitions) != 1) {
            throw new IllegalArgumentException("partitions must be a power of two, got " + partitions);
        }
        positive("periodicSyncMillis", periodicSyncMillis);
        positive("pingIntervalMillis", pingIntervalMillis);
        positive("pingTimeoutMillis", pingTimeoutMillis);
        positive("pingFailuresBeforeDown", pingFailuresBeforeDown);
        positive("bucketSyncIntervalMillis", bucketSyncIntervalMillis);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public Node self() {
        return members.stream().filter(m -> m.id().equals(nodeId)).findFirst().orElseThrow();
    }

    public NodeConfig withMembers(List<Node> newMembers) {
        return new NodeConfig(nodeId, host, port, dataDir, newMembers, secret, partitions, bucketDefaults, limits,
                durability, periodicSyncMillis, pingIntervalMillis, pingTimeoutMillis, pingFailuresBeforeDown,
                bucketSyncIntervalMillis, hints, cas);
    }
}
