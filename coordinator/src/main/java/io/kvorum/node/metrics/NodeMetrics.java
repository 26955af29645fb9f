package io.kvorum.node.metrics;

import io.kvorum.node.coord.Hinter;
import io.kvorum.ring.Node;
import io.kvorum.storage.HintStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The node's metrics, in one Prometheus registry scraped at /metrics. Every meter is listed in
 * docs/operations.md. Names use Micrometer's dotted style; Prometheus sees them with underscores
 * and unit suffixes (kvorum.client.requests becomes kvorum_client_requests_seconds).
 */
public final class NodeMetrics {
    private static final Duration[] SLOS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry;
    private final DistributionSummary siblingsPerRead;
    private final Timer commitLatency;
    private final DistributionSummary commitBatch;
    private final DistributionSummary commitBytes;
    private final DistributionSummary readBatches;
    private final DistributionSummary writeBatches;
    private final ConcurrentMap<ClientKey, Timer> clientRequests = new ConcurrentHashMap<>();
    private final ConcurrentMap<ReplicaKey, Timer> replicaCalls = new ConcurrentHashMap<>();

    private record ClientKey(String op, String consistency, int status) {
    }

    private record ReplicaKey(String peer, String op, boolean ok) {
    }

    public NodeMetrics(String nodeId) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("node", nodeId);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        siblingsPerRead = DistributionSummary.builder("kvorum.read.siblings")
                .description("values (siblings) returned per successful read").serviceLevelObjectives(1, 2, 3, 5, 10, 64)
                .register(registry);
        readBatches = batchSummary("read");
        writeBatches = batchSummary("write");
        commitLatency = Timer.builder("kvorum.storage.commit")
                .description("time of one storage commit (a group of writes made durable together)")
                .serviceLevelObjectives(SLOS).register(registry);
        commitBatch = DistributionSummary.builder("kvorum.storage.commit.batch")
                .description("writes made durable by one storage commit").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
        commitBytes = DistributionSummary.builder("kvorum.storage.commit.bytes").baseUnit("bytes")
                .description("encoded bytes written by one storage commit").register(registry);
    }

    private DistributionSummary batchSummary(String lane) {
        return DistributionSummary.builder("kvorum.replica.batch.messages")
                .description("replica messages per coalesced batch sent to a peer, by lane")
                .tags("lane", lane).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** One client request to /kv, by operation (get, put, delete), consistency level and HTTP status. */
    public void clientRequest(String op, String consistency, int status, long nanos) {
        clientRequests.computeIfAbsent(new ClientKey(op, consistency, status), k -> Timer.builder("kvorum.client.requests")
                .description("client key-value requests by operation, consistency level and status")
                .tags("op", op, "consistency", consistency, "status", Integer.toString(status))
                .serviceLevelObjectives(SLOS)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        String kind = status == 503 ? "unavailable" : status == 504 ? "timeout" : null;
        if (kind != null) {
            Counter.builder("kvorum.quorum.failures").description("requests that failed their quorum, by kind")
                    .tags("op", op, "kind", kind).register(registry).increment();
        }
    }

    /** A finished compare-and-set or SERIAL read, by outcome (applied, refused, read, contention, ...). */
    public void casFinished(String outcome, int attempts) {
        Counter.builder("kvorum.cas.outcomes").description("compare-and-set rounds by outcome")
                .tags("outcome", outcome).register(registry).increment();
        DistributionSummary.builder("kvorum.cas.attempts").description("Paxos attempts (ballots) per compare-and-set")
                .register(registry).record(attempts);
    }

    /** A Paxos attempt beaten by another proposer, by the phase where it lost. */
    public void casContention(String phase) {
        Counter.builder("kvorum.cas.contention.retries")
                .description("Paxos attempts retried after a higher ballot won, by phase")
                .tags("phase", phase).register(registry).increment();
    }

    /** One call to a replica (local or remote), by peer, operation and outcome. */
    public void replicaCall(String peer, String op, boolean ok, long nanos) {
        replicaCalls.computeIfAbsent(new ReplicaKey(peer, op, ok), k -> Timer.builder("kvorum.replica.calls")
                .description("calls from this coordinator to replicas")
                .tags("peer", peer, "op", op, "outcome", ok ? "ok" : "error")
                .serviceLevelObjectives(SLOS)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One coalesced batch of replica messages sent to a peer, by lane (read or write). */
    public void replicaBatch(String peer, boolean writes, int messages) {
        (writes ? writeBatches : readBatches).record(messages);
    }

    /** The hint store's gauges and totals: pending (all and per member), stored, delivered, dropped. */
    public void bindHints(Hinter hinter, List<Node> members) {
        HintStore store = hinter.store();
        gauge("kvorum.hints.pending", "hints this node holds for other nodes", store,
                h -> h.pendingCounts().values().stream().mapToLong(Long::longValue).sum());
        for (Node member : members) {
            Gauge.builder("kvorum.hints.pending.target", store, h -> h.pendingCounts().getOrDefault(member.id(), 0L))
                    .description("hints this node holds for one target").tag("target", member.id())
                    .register(registry);
        }
        counter("kvorum.hints.stored", "hints stored (new or coalesced)", store,
                h -> h.stats().stored() + h.stats().coalesced());
        counter("kvorum.hints.delivered", "hints replayed to their target and deleted", store,
                h -> h.stats().delivered());
        counter("kvorum.hints.dropped", "hints dropped: past the hint window, store full, or target down past"
                + " the window", hinter, x -> x.store().stats().expired() + x.store().stats().refusedFull()
                + x.skippedPastWindow());
    }

    /** A hint replayed to its target and deleted. */
    public void hintReplayed(String target) {
        Counter.builder("kvorum.hints.replayed").description("hints replayed to their target and deleted, per target")
                .tag("target", target).register(registry).increment();
    }

    /** Hints replayed to {@code target} and deleted since this node started (replay progress). */
    public long hintsReplayed(String target) {
        Counter c = registry.find("kvorum.hints.replayed").tag("target", target).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** A hint that was not kept for a target, by reason (past_window, not_stored). */
    public void hintDropped(String target, String reason) {
        Counter.builder("kvorum.hints.dropped.target").description("hints not kept for a target, by reason")
                .tags("target", target, "reason", reason).register(registry).increment();
    }

    public void siblingsPerRead(int siblings) {
        siblingsPerRead.record(siblings);
    }

    public void storageCommit(int writes, long bytes, long nanos) {
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
        commitBatch.record(writes);
        commitBytes.record(bytes);
    }

    /** A counter kept elsewhere (read repairs sent, LWW writes discarded), read when scraped. */
    public <T> void counter(String name, String description, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }
}
