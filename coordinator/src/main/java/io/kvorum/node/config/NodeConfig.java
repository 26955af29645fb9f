package io.kvorum.node.config;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.ring.Node;
import io.kvorum.storage.Durability;
import io.kvorum.storage.MapDbStorageEngine;
import io.kvorum.storage.StoreIo;

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
        long storageCheckpointBytes,
        Gossip gossip,
        long bucketSyncIntervalMillis,
        Hints hints,
        Cas cas,
        Coalescing coalescing,
        StoreIo storageIo,
        Reads reads,
        int eventLoops,
        long storageKeyCacheBytes) {

    /** The event loops (and HTTP server instances) a node runs when eventLoops is 0: one per core, at most 4. */
    public static int defaultEventLoops() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** The event loops this node runs: {@code eventLoops}, or {@link #defaultEventLoops()} when it is 0. */
    public int effectiveEventLoops() {
        return eventLoops == 0 ? defaultEventLoops() : eventLoops;
    }

    /** Whom a read asks: every live replica at once, or R of them and the others only if needed. */
    public enum ReadFanout { ALL, REQUIRED }

    /**
     * Read fan-out: {@code ALL} asks every live replica and answers at R replies (Dynamo, Riak);
     * {@code REQUIRED} asks R live replicas (this node first when it is one), and another one
     * whenever one fails, and all the rest once {@code speculativeMillis} pass without R replies
     * (Cassandra's speculative retry).
     */
    public record Reads(ReadFanout fanout, long speculativeMillis) {
        public Reads {
            Objects.requireNonNull(fanout, "readFanout");
            positive("readSpeculativeMillis", speculativeMillis);
        }

        public static Reads defaults() {
            return new Reads(ReadFanout.ALL, 20);
        }
    }

    /**
     * Coalescing of replica messages per peer: at most {@code maxInFlight} batches on their way to
     * a peer per lane (reads, writes); messages that arrive meanwhile wait and leave together, up
     * to {@code maxOps} messages and {@code maxBytes} bytes per batch. {@code maxOps} 0 turns
     * coalescing off: one HTTP exchange per message.
     */
    public record Coalescing(int maxOps, int maxInFlight, int maxBytes) {
        /** The most messages one batch may hold (what a node accepts from its peers). */
        public static final int MAX_OPS = 4096;
        /** The largest batch a node sends (a single larger message still travels alone). */
        public static final int MAX_BYTES = 16 * 1024 * 1024;

        public Coalescing {
            if (maxOps < 0 || maxOps > MAX_OPS) {
                throw new IllegalArgumentException("replicaBatchMaxOps must be between 0 and " + MAX_OPS + ", got "
                        + maxOps);
            }
            positive("replicaBatchInFlight", maxInFlight);
            positive("replicaBatchMaxBytes", maxBytes);
            if (maxBytes > MAX_BYTES) {
                throw new IllegalArgumentException("replicaBatchMaxBytes must be at most " + MAX_BYTES
                        + " (a peer accepts internal bodies of maxValueBytes x 70 + 1 MiB), got " + maxBytes);
            }
        }

        public boolean enabled() {
            return maxOps > 0;
        }

        public static Coalescing defaults() {
            return new Coalescing(64, 1, 1024 * 1024);
        }
    }

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

    /** With the defaults of every setting after the hints (CAS, coalescing, store I/O, reads, event loops). */
    public NodeConfig(String nodeId, String host, int port, Path dataDir, List<Node> members, String secret,
                      int partitions, BucketProps bucketDefaults, Limits limits, Durability durability,
                      long periodicSyncMillis, long storageCheckpointBytes, Gossip gossip,
                      long bucketSyncIntervalMillis, Hints hints) {
        this(nodeId, host, port, dataDir, members, secret, partitions, bucketDefaults, limits, durability,
                periodicSyncMillis, storageCheckpointBytes, gossip, bucketSyncIntervalMillis, hints, Cas.defaults(),
                Coalescing.defaults(), StoreIo.MMAP, Reads.defaults(), 0, MapDbStorageEngine.DEFAULT_KEY_CACHE_BYTES);
    }

    /**
     * Membership settings: how often this node gossips with a random live peer, how long one
     * exchange may take, and the phi-accrual threshold at which a silent peer is convicted.
     */
    public record Gossip(long intervalMillis, long timeoutMillis, double phiConvictThreshold) {
        public Gossip {
            positive("gossipIntervalMillis", intervalMillis);
            positive("gossipTimeoutMillis", timeoutMillis);
            if (!(phiConvictThreshold > 0) || Double.isInfinite(phiConvictThreshold)) {
                throw new IllegalArgumentException("phiConvictThreshold must be a finite number > 0, got "
                        + phiConvictThreshold);
            }
        }

        public static Gossip defaults() {
            return new Gossip(1000, 1000, 8.0);
        }
    }

    /** Hinted handoff settings. */
    public record Hints(long windowMillis, long maxHints, int deliveryRatePerSecond, long deliveryIntervalMillis,
                        int deliveryConcurrency) {
        public Hints {
            positive("hintDeliveryConcurrency", deliveryConcurrency);
            positive("hintWindowMillis", windowMillis);
            if (maxHints < 0) {
                throw new IllegalArgumentException("maxHints must be >= 0, got " + maxHints);
            }
            positive("hintDeliveryRatePerSecond", deliveryRatePerSecond);
            positive("hintDeliveryIntervalMillis", deliveryIntervalMillis);
        }

        public static Hints defaults() {
            return new Hints(3 * 3600_000L, 1_000_000, 1000, 1000, 16);
        }
    }

    /** Request limits; every one is configurable. */
    public record Limits(int maxValueBytes, int maxKeyBytes, long defaultTimeoutMillis, long maxTimeoutMillis,
                         int maxReplicaConnectionsPerPeer, long maxRecordBytes, long httpIdleTimeoutMillis,
                         int httpMaxInitialLineLength, int httpMaxHeaderSize, long maxInFlightValueBytes) {
        /** Default of {@code maxRecordBytes}: four values of the largest default size. */
        public static final long DEFAULT_MAX_RECORD_BYTES = 4L * 1024 * 1024;
        /** The share of the JVM's maximum heap that {@code maxInFlightValueBytes = 0} stands for. */
        public static final int IN_FLIGHT_HEAP_DIVISOR = 8;

        /** Limits with {@code maxInFlightValueBytes} chosen from the heap (0). */
        public Limits(int maxValueBytes, int maxKeyBytes, long defaultTimeoutMillis, long maxTimeoutMillis,
                      int maxReplicaConnectionsPerPeer, long maxRecordBytes, long httpIdleTimeoutMillis,
                      int httpMaxInitialLineLength, int httpMaxHeaderSize) {
            this(maxValueBytes, maxKeyBytes, defaultTimeoutMillis, maxTimeoutMillis, maxReplicaConnectionsPerPeer,
                    maxRecordBytes, httpIdleTimeoutMillis, httpMaxInitialLineLength, httpMaxHeaderSize, 0);
        }

        public Limits {
            positive("maxValueBytes", maxValueBytes);
            if (maxInFlightValueBytes != 0 && maxInFlightValueBytes < maxValueBytes) {
                throw new IllegalArgumentException("maxInFlightValueBytes (" + maxInFlightValueBytes + ") must be 0 "
                        + "(an eighth of the heap) or at least maxValueBytes (" + maxValueBytes + ")");
            }
            if (maxRecordBytes < maxValueBytes) {
                throw new IllegalArgumentException("maxRecordBytes (" + maxRecordBytes + ") must be at least "
                        + "maxValueBytes (" + maxValueBytes + "): one value must always fit on a key");
            }
            positive("maxKeyBytes", maxKeyBytes);
            positive("defaultTimeoutMillis", defaultTimeoutMillis);
            positive("maxTimeoutMillis", maxTimeoutMillis);
            positive("maxReplicaConnectionsPerPeer", maxReplicaConnectionsPerPeer);
            if ((long) httpMaxInitialLineLength < 3L * maxKeyBytes + 512) {
                throw new IllegalArgumentException("httpMaxInitialLineLength (" + httpMaxInitialLineLength + ") must be "
                        + "at least 3 x maxKeyBytes + 512 (" + (3L * maxKeyBytes + 512) + "): a key of maxKeyBytes, "
                        + "percent-encoded, must fit in a request line");
            }
            if (httpMaxHeaderSize < 1024) {
                throw new IllegalArgumentException("httpMaxHeaderSize must be at least 1024, got " + httpMaxHeaderSize);
            }
            if (httpIdleTimeoutMillis != 0 && httpIdleTimeoutMillis <= maxTimeoutMillis) {
                throw new IllegalArgumentException("httpIdleTimeoutMillis (" + httpIdleTimeoutMillis + ") must be 0 "
                        + "(never) or more than maxTimeoutMillis (" + maxTimeoutMillis + "): a request may wait that long "
                        + "for its answer without a byte on its connection");
            }
            if (httpIdleTimeoutMillis > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("httpIdleTimeoutMillis must be at most " + Integer.MAX_VALUE
                        + ", got " + httpIdleTimeoutMillis);
            }
            if (defaultTimeoutMillis > maxTimeoutMillis) {
                throw new IllegalArgumentException("defaultTimeoutMillis (" + defaultTimeoutMillis
                        + ") exceeds maxTimeoutMillis (" + maxTimeoutMillis + ")");
            }
        }

        public static Limits defaults() {
            return new Limits(1024 * 1024, 1024, 5_000, 60_000, 64, DEFAULT_MAX_RECORD_BYTES, 120_000, 4096, 8192, 0);
        }

        /**
         * The bytes of client values a node may hold at once: {@code maxInFlightValueBytes}, or
         * when that is 0 an eighth of {@code maxHeapBytes} (but never less than one value).
         */
        public long inFlightValueBytes(long maxHeapBytes) {
            return maxInFlightValueBytes > 0 ? maxInFlightValueBytes
                    : Math.max(maxValueBytes, maxHeapBytes / IN_FLIGHT_HEAP_DIVISOR);
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
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(cas, "cas");
        Objects.requireNonNull(coalescing, "coalescing");
        Objects.requireNonNull(storageIo, "storageIo");
        Objects.requireNonNull(reads, "reads");
        long internalBodyLimit = limits.maxValueBytes() * 70L + 1024 * 1024;
        if (coalescing.maxBytes() > internalBodyLimit) {
            throw new IllegalArgumentException("replicaBatchMaxBytes (" + coalescing.maxBytes() + ") exceeds the "
                    + "internal body limit maxValueBytes x 70 + 1 MiB (" + internalBodyLimit + ")");
        }
        if (storageKeyCacheBytes < 0) {
            throw new IllegalArgumentException("storageKeyCacheBytes must be >= 0 (0 turns the key cache off), got "
                    + storageKeyCacheBytes);
        }
        if (eventLoops < 0 || eventLoops > 64) {
            throw new IllegalArgumentException("eventLoops must be between 0 (one per core, at most 4) and 64, got "
                    + eventLoops);
        }
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
        positive("bucketSyncIntervalMillis", bucketSyncIntervalMillis);
        if (storageCheckpointBytes < 0) {
            throw new IllegalArgumentException("storageCheckpointBytes must be >= 0, got " + storageCheckpointBytes);
        }
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
                durability, periodicSyncMillis, storageCheckpointBytes, gossip, bucketSyncIntervalMillis, hints, cas,
                coalescing, storageIo, reads, eventLoops, storageKeyCacheBytes);
    }
}
