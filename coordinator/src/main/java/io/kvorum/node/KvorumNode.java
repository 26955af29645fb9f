package io.kvorum.node;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kvorum.node.bucket.BucketRegistry;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.cluster.GossipService;
import io.kvorum.node.config.NodeConfig;
import io.kvorum.node.coord.ReadCoordinator;
import io.kvorum.node.coord.WriteCoordinator;
import io.kvorum.node.coord.Hinter;
import io.kvorum.node.cluster.HintDelivery;
import io.kvorum.storage.MapDbHintStore;
import io.kvorum.storage.MapDbPaxosStore;
import io.kvorum.storage.paxos.PaxosReplica;
import io.kvorum.node.http.CasHandlers;
import io.kvorum.node.http.LockHandlers;
import io.kvorum.node.http.PaxosHandlers;
import io.kvorum.node.http.Readiness;
import io.kvorum.node.paxos.CasCoordinator;
import io.kvorum.node.paxos.PaxosClient;
import io.kvorum.node.paxos.RoutingPaxosClient;
import io.kvorum.node.http.AdminHandlers;
import io.kvorum.node.http.ClusterHandlers;
import io.kvorum.node.coord.FallbackHints;
import io.kvorum.node.http.HttpVerticle;
import io.kvorum.node.http.InFlightBytes;
import io.kvorum.node.http.InternalHandlers;
import io.kvorum.node.http.KvHandlers;
import io.kvorum.node.http.Problems;
import io.kvorum.node.replica.BatchingReplicaClient;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.node.replica.ReplicaClient;
import io.kvorum.node.replica.RoutingReplicaClient;
import io.kvorum.node.metrics.MeteredReplicaClient;
import io.kvorum.node.metrics.NodeMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.kvorum.ring.Clock;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.ring.RingSnapshot;
import io.kvorum.storage.MapDbStorageEngine;
import io.kvorum.storage.StorageEngine;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One Kvorum node, wired: storage, ring view, liveness, coordinators, bucket registry and the
 * HTTP edge. {@link #start} opens everything; {@link #stop} stops accepting, lets in-flight
 * requests finish, and closes storage.
 */
public final class KvorumNode {
    private static final Logger log = LoggerFactory.getLogger(KvorumNode.class);

    private final NodeConfig config;
    private final Vertx vertx;
    private final StorageEngine engine;
    private final HttpInternalClient internalClient;
    private final HttpInternalClient gossipClient;
    private final MapDbHintStore hintStore;
    private final MapDbPaxosStore paxosStore;
    private final HintDelivery handoff;
    private final GossipService gossip;
    private final BucketRegistry buckets;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final NodeMetrics metrics;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Supplier<HttpVerticle> verticleFactory;
    private String deploymentId;

    private KvorumNode(NodeConfig config, Clock clock) {
        this.config = config;
        this.metrics = new NodeMetrics(config.nodeId());
        this.vertx = Vertx.builder()
                .with(new VertxOptions().setPreferNativeTransport(true)
                        .setEventLoopPoolSize(config.effectiveEventLoops())
                        // the node reads no files through Vert.x: without class path resolving Vert.x
                        // creates no vertx-cache directory in java.io.tmpdir, which a killed node leaked
                        .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)
                                .setFileCachingEnabled(false))
                        // Vert.x's own per-request HTTP meters cost event-loop time on every exchange (about
                        // 2.5% of a node's CPU for the server's alone, docs/benchmarks.md); client requests
                        // are measured by kvorum.client.requests, the internal traffic per peer by
                        // kvorum.replica.calls
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                                .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
                                .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
                                .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
                                .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                .build();
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        MapDbStorageEngine mapDb = MapDbStorageEngine.open(config.dataDir(), config.durability(),
                config.periodicSyncMillis(), config.storageCheckpointBytes(), config.storageIo(),
                config.storageKeyCacheBytes());
        mapDb.setCommitListener(metrics::storageCommit);
        this.engine = mapDb;
        // strict: a body with content after its JSON value, or a property given twice, is refused
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        RingSnapshot ring = RingSnapshot.create(1, config.partitions(), config.members());
        ClusterView view = new ClusterView(config.nodeId(), ring, clock.millis());
        HlcGenerator hlc = new HlcGenerator(clock, config.nodeId());
        String self = config.self().host();
        this.internalClient = new HttpInternalClient(vertx, config.secret(),
                self.startsWith("127.") ? self : null, config.limits().maxReplicaConnectionsPerPeer());
        LocalReplica local = new LocalReplica(config.nodeId(), engine, hlc, config.limits().maxRecordBytes());
        ReplicaClient remote = config.coalescing().enabled()
                ? new BatchingReplicaClient(internalClient, config.coalescing(), metrics::replicaBatch)
                : internalClient;
        ReplicaClient replicas = new MeteredReplicaClient(new RoutingReplicaClient(local, remote), metrics, clock);
        ReadCoordinator reads = new ReadCoordinator(vertx, view, replicas, config.reads());
        this.hintStore = MapDbHintStore.open(config.dataDir(), config.hints().maxHints());
        Hinter hinter = new Hinter(hintStore, view, clock, config.hints().windowMillis(), metrics);
        WriteCoordinator writes = new WriteCoordinator(vertx, view, replicas, hinter,
                new FallbackHints(config.nodeId(), hinter, internalClient));
        this.handoff = new HintDelivery(vertx, view, hintStore, replicas, clock,
                config.hints().deliveryIntervalMillis(), config.hints().deliveryRatePerSecond(),
                config.hints().deliveryConcurrency(), config.hints().windowMillis(), metrics);
        metrics.bindHints(hinter, config.members());
        this.buckets = new BucketRegistry(vertx, mapper, engine, view, internalClient, hlc, config.bucketDefaults(),
                config.nodeId().hashCode());
        this.gossipClient = new HttpInternalClient(vertx, config.secret(), self.startsWith("127.") ? self : null, 2);
        this.gossip = new GossipService(vertx, view, gossipClient, clock, config.self(), config.members(),
                config.gossip(), clock.millis(), new java.util.Random());
        metrics.counter("kvorum.read.repairs", "read repairs sent by this coordinator", reads, ReadCoordinator::repairsSent);
        metrics.counter("kvorum.read.speculative", "reads that asked more than R replicas because R replies were late "
                + "(readFanout=required)", reads, ReadCoordinator::speculativeReads);
        metrics.counter("kvorum.lww.discarded", "LWW writes dropped by this replica because a later one was stored",
                local, LocalReplica::lwwDiscarded);
        metrics.gauge("kvorum.storage.keys", "keys stored on this node", engine, StorageEngine::approximateKeyCount);
        metrics.counter("kvorum.storage.reads.inline", "record reads served on the calling event loop, without a trip "
                + "through the storage writer's queue", mapDb, MapDbStorageEngine::inlineReads);
        metrics.counter("kvorum.storage.key.cache.hits", "record reads and writes that found where the key's record "
                + "is in the key cache, without walking the B-tree", mapDb, MapDbStorageEngine::keyCacheHits);
        metrics.counter("kvorum.storage.key.cache.misses", "record reads and writes that walked the B-tree to find "
                + "their key (keys not stored included)", mapDb, MapDbStorageEngine::keyCacheMisses);
        this.paxosStore = MapDbPaxosStore.open(config.dataDir());
        PaxosReplica acceptor = new PaxosReplica(paxosStore, engine);
        CasCoordinator cas = casCoordinator(config, clock, view, hlc, acceptor);
        KvHandlers kv = new KvHandlers(mapper, buckets, reads, writes, hlc, config.limits(), metrics, clock,
                new CasHandlers(cas));
        LockHandlers locks = new LockHandlers(mapper, buckets, cas, config.limits(), config.cas().lockMinTtlSeconds(),
                config.cas().lockMaxTtlSeconds(), clock);
        PaxosHandlers paxosHandlers = new PaxosHandlers(acceptor);
        AdminHandlers admin = new AdminHandlers(mapper, view, buckets, local, reads,
                () -> Readiness.notReadyReason(ready.get(), mapDb.isHealthy(), hintStore.isHealthy(),
                        paxosStore.isHealthy()), metrics, hinter,
                gossip);
        ClusterHandlers cluster = new ClusterHandlers(view, gossip, hinter);
        InternalHandlers internal = new InternalHandlers(mapper, local, buckets, config.secret());
        Problems problems = new Problems(mapper, config.limits().maxValueBytes());
        InFlightBytes inFlight = new InFlightBytes(config.limits().inFlightValueBytes(Runtime.getRuntime().maxMemory()));
        log.info("node {} holds at most {} bytes of client values at once (maxInFlightValueBytes)", config.nodeId(),
                inFlight.limit());
        this.verticleFactory = () -> new HttpVerticle(config.host(), config.port(), config.limits(),
                kv, admin, internal, cluster, problems, paxosHandlers, locks, inFlight);
    }

    private CasCoordinator casCoordinator(NodeConfig config, Clock clock, ClusterView view, HlcGenerator hlc,
                                          PaxosReplica acceptor) {
        PaxosClient paxos = new RoutingPaxosClient(config.nodeId(), acceptor, internalClient);
        return new CasCoordinator(vertx, view, paxos, hlc, clock, new Random(config.nodeId().hashCode() ^ clock.nanos()),
                config.cas().contentionBackoffMillis(), config.cas().maxAttempts(), new CasCoordinator.CasListener() {
                    @Override
                    public void finished(String outcome, int attempts) {
                        metrics.casFinished(outcome, attempts);
                    }

                    @Override
                    public void contention(String phase) {
                        metrics.casContention(phase);
                    }
                });
    }

    public static Future<KvorumNode> start(NodeConfig config, Clock clock) {
        KvorumNode node;
        try {
            node = new KvorumNode(config, clock);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        int instances = config.effectiveEventLoops();
        return node.buckets.load()
                .compose(v -> node.vertx.deployVerticle(node.verticleFactory::get,
                        new DeploymentOptions().setInstances(instances)))
                .map(id -> {
                    node.deploymentId = id;
                    node.gossip.start();
                    node.handoff.start();
                    node.buckets.startSync(config.bucketSyncIntervalMillis());
                    node.ready.set(true);
                    log.info("node {} listening on {}:{} with data in {} (durability={}, members={}, transport={})",
                            config.nodeId(), config.host(), config.port(), config.dataDir(), config.durability(),
                            config.members().size(), node.vertx.isNativeTransportEnabled() ? "epoll" : "nio");
                    return node;
                })
                .recover(e -> node.stop().transform(x -> Future.failedFuture(e)));
    }

    public NodeConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Stops accepting requests, finishes those in flight, closes storage. Idempotent. */
    public Future<Void> stop() {
        if (!stopped.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        ready.set(false);
        gossip.stop();
        handoff.stop();
        buckets.stop();
        // peers stop sending to us now, not after their failure detector's bound; what they sent
        // before is still served while the HTTP server drains
        Future<Void> announced;
        try {
            announced = deploymentId == null ? Future.succeededFuture() : gossip.announceShutdown();
        } catch (RuntimeException e) { // best effort: the stop goes on, and storage is closed below
            log.warn("could not announce the stop to the peers", e);
            announced = Future.succeededFuture();
        }
        return announced
                .eventually(() -> deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId))
                .eventually(internalClient::close)
                .eventually(gossipClient::close)
                .eventually(() -> vertx.executeBlocking(() -> {
                    engine.close();
                    hintStore.close();
                    paxosStore.close();
                    return null;
                }))
                .andThen(ar -> {
                    log.info("node {} stopped", config.nodeId());
                    // Closing Vert.x ends the event loops this chain runs on, so nothing may wait on it.
                    vertx.close();
                })
                .mapEmpty();
    }
}
