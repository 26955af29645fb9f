package io.kvorum.node.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.ring.Node;
import io.kvorum.storage.StorageEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bucket properties, cluster-wide. A change made on one node is stored durably, pushed to every
 * peer at once, and every node also pulls a random live peer's table periodically, so a node that
 * missed the push (down, partitioned) converges within seconds of coming back. The later change
 * wins (hybrid-clock version).
 */
public final class BucketRegistry {
    private static final Logger log = LoggerFactory.getLogger(BucketRegistry.class);
    private static final String META_PREFIX = "bucket/";
    public static final String INTERNAL_PATH = "/internal/v1/buckets";

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final StorageEngine engine;
    private final ClusterView view;
    private final HttpInternalClient client;
    private final HlcGenerator hlc;
    private final BucketProps defaults;
    private final AtomicReference<BucketTable> table = new AtomicReference<>(BucketTable.empty());
    private final Random random;
    private long timerId = -1;

    public BucketRegistry(Vertx vertx, ObjectMapper mapper, StorageEngine engine, ClusterView view,
                          HttpInternalClient client, HlcGenerator hlc, BucketProps defaults, long seed) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.engine = engine;
        this.view = view;
        this.client = client;
        this.hlc = hlc;
        this.defaults = defaults;
        this.random = new Random(seed);
    }

    /** Loads the stored table; call before serving. */
    public Future<Void> load() {
        return Future.fromCompletionStage(engine.readMeta()).map(meta -> {
            BucketTable t = BucketTable.empty();
            for (Map.Entry<String, byte[]> e : meta.entrySet()) {
                if (e.getKey().startsWith(META_PREFIX)) {
                    t = t.with(e.getKey().substring(META_PREFIX.length()), decode(readTree(e.getValue())));
                }
            }
            table.set(t);
            return null;
        });
    }

    public void startSync(long intervalMillis) {
        timerId = vertx.setPeriodic(intervalMillis, id -> pullFromRandomPeer(intervalMillis));
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    public BucketProps defaults() {
        return defaults;
    }

    public BucketProps props(String bucket) {
        return table.get().get(bucket).map(VersionedProps::props).orElse(defaults);
    }

    /** Applies a client's partial update; throws IllegalArgumentException on bad input. */
    public Future<BucketProps> update(String bucket, JsonNode changes) {
        BucketProps next = props(bucket).withJson(changes);
        int members = view.ring().members().size();
        if (next.n() > members) {
            throw new IllegalArgumentException("n=" + next.n() + " exceeds the " + members + " nodes in the cluster");
        }
        VersionedProps versioned = new VersionedProps(next, hlc.now());
        return accept(bucket, versioned).map(v -> {
            Buffer body = Buffer.buffer(encode(bucket, versioned).toString());
            for (Node peer : view.ring().members().values()) {
                if (!peer.id().equals(view.selfId())) {
                    client.putJson(peer, INTERNAL_PATH, body, 2_000)
                            .onFailure(e -> log.debug("bucket push to {} failed: {}", peer.id(), e.getMessage()));
                }
            }
            return next;
        });
    }

    /** Merges a change received from a peer; stores it when it is newer. */
    public Future<Void> accept(String bucket, VersionedProps versioned) {
        hlc.observe(versioned.version());
        BucketTable before = table.get();
        BucketTable after = table.updateAndGet(t -> t.with(bucket, versioned));
        if (after.get(bucket).equals(before.get(bucket))) {
            return Future.succeededFuture();
        }
        byte[] bytes = encode(bucket, versioned).toString().getBytes(StandardCharsets.UTF_8);
        // continue on the caller's event loop, not on the storage writer's thread
        return LocalReplica.onCaller(engine.writeMeta(META_PREFIX + bucket, bytes));
    }

    /** Accepts one entry pushed or pulled from a peer; a malformed entry is refused with IllegalArgumentException. */
    public Future<Void> acceptJson(JsonNode json) {
        String bucket = json.path("bucket").asText();
        if (!bucket.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("bad bucket name '" + bucket + "' in bucket properties");
        }
        if (!json.path("version").path("node").isTextual()) {
            throw new IllegalArgumentException("bucket properties for '" + bucket + "' carry no version");
        }
        return accept(bucket, decode(json));
    }

    /** The whole table, as peers pull it. */
    public ObjectNode tableJson() {
        ObjectNode o = mapper.createObjectNode();
        var arr = o.putArray("buckets");
        table.get().buckets().forEach((b, v) -> arr.add(encode(b, v)));
        return o;
    }

    private void pullFromRandomPeer(long timeoutMillis) {
        List<Node> peers = view.ring().members().values().stream()
                .filter(n -> !n.id().equals(view.selfId()) && view.liveness().isUp(n.id())).toList();
        if (peers.isEmpty()) {
            return;
        }
        Node peer = peers.get(random.nextInt(peers.size()));
        client.getJson(peer, INTERNAL_PATH, timeoutMillis).onSuccess(buf -> {
            JsonNode json = readTree(buf.getBytes());
            for (JsonNode b : json.path("buckets")) {
                try {
                    acceptJson(b);
                } catch (RuntimeException e) {
                    log.warn("ignoring a bad bucket entry from {}: {}", peer.id(), e.getMessage());
                }
            }
        });
    }

    private ObjectNode encode(String bucket, VersionedProps v) {
        ObjectNode o = mapper.createObjectNode();
        o.put("bucket", bucket);
        o.set("props", v.props().toJson(mapper));
        ObjectNode ver = o.putObject("version");
        ver.put("wall", v.version().wallMillis());
        ver.put("logical", v.version().logical());
        ver.put("node", v.version().nodeId());
        return o;
    }

    private static VersionedProps decode(JsonNode json) {
        JsonNode ver = json.path("version");
        return new VersionedProps(BucketProps.fromJson(json.path("props")),
                new HlcTimestamp(ver.path("wall").asLong(), ver.path("logical").asInt(), ver.path("node").asText()));
    }

    private JsonNode readTree(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
