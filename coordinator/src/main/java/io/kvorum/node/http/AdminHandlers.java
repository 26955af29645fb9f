package io.kvorum.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.node.bucket.BucketRegistry;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.cluster.GossipService;
import io.kvorum.ring.gossip.Membership;
import io.kvorum.ring.gossip.MemberState;
import io.kvorum.node.coord.Hinter;
import io.kvorum.node.coord.ReadCoordinator;
import io.kvorum.node.metrics.NodeMetrics;
import io.kvorum.node.replica.LocalReplica;
import io.kvorum.ring.LivenessView;
import io.kvorum.ring.Node;
import io.kvorum.ring.RingSnapshot;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Health, readiness, bucket properties and the admin views of the cluster and the ring. */
public final class AdminHandlers {
    private final ObjectMapper mapper;
    private final ClusterView view;
    private final BucketRegistry buckets;
    private final LocalReplica local;
    private final ReadCoordinator reads;
    private final Supplier<Optional<String>> notReady;
    private final NodeMetrics metrics;
    private final Hinter hinter;
    private final GossipService gossip;

    public AdminHandlers(ObjectMapper mapper, ClusterView view, BucketRegistry buckets, LocalReplica local,
                         ReadCoordinator reads, Supplier<Optional<String>> notReady, NodeMetrics metrics, Hinter hinter,
                         GossipService gossip) {
        this.gossip = gossip;
        this.metrics = metrics;
        this.hinter = hinter;
        this.mapper = mapper;
        this.view = view;
        this.buckets = buckets;
        this.local = local;
        this.reads = reads;
        this.notReady = notReady;
    }

    public void health(RoutingContext ctx) {
        json(ctx, 200, mapper.createObjectNode().put("status", "UP").put("node", view.selfId()));
    }

    public void ready(RoutingContext ctx) {
        Optional<String> reason = notReady.get();
        if (reason.isPresent()) {
            throw new ApiError(503, "Service Unavailable", "node " + view.selfId() + " is not ready: " + reason.get());
        }
        json(ctx, 200, mapper.createObjectNode().put("status", "READY").put("node", view.selfId()));
    }

    public void metrics(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
    }

    public void getBucket(RoutingContext ctx) {
        LockHandlers.query(ctx, Set.of());
        String bucket = ctx.pathParam("bucket");
        KeyPath.checkBucket(bucket);
        ObjectNode body = buckets.props(bucket).toJson(mapper);
        json(ctx, 200, body);
    }

    public void putBucket(RoutingContext ctx) {
        LockHandlers.query(ctx, Set.of());
        String bucket = ctx.pathParam("bucket");
        KeyPath.checkBucket(bucket);
        JsonNode changes;
        try {
            changes = ctx.body().buffer() == null ? null : mapper.readTree(ctx.body().buffer().getBytes());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiError.badRequest("the body must be a JSON object of bucket properties: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("unreadable body: " + e.getMessage());
        }
        if (changes == null) {
            throw ApiError.badRequest("the body must be a JSON object of bucket properties, e.g. {\"n\":3}");
        }
        buckets.update(bucket, changes)
                .onSuccess(props -> json(ctx, 200, props.toJson(mapper)))
                .onFailure(ctx::fail);
    }

    public void cluster(RoutingContext ctx) {
        RingSnapshot ring = view.ring();
        LivenessView live = view.liveness();
        Map<String, Integer> owned = ring.ownership();
        Map<String, Long> pending = hinter.store().pendingCounts();
        ObjectNode body = mapper.createObjectNode();
        body.put("node", view.selfId());
        body.put("epoch", ring.epoch());
        body.put("partitions", ring.partitions());
        Membership membership = gossip.membership();
        ObjectNode detector = body.putObject("failureDetector");
        detector.put("phiConvictThreshold", membership.config().threshold());
        detector.put("gossipIntervalMillis", membership.config().expectedIntervalMillis());
        detector.put("detectionBoundMillis",
                io.kvorum.ring.gossip.PhiAccrualDetector.worstCaseDetectionMillis(membership.config()));
        ArrayNode members = body.putArray("members");
        for (Node n : ring.members().values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
            ObjectNode m = members.addObject();
            m.put("id", n.id());
            m.put("address", n.host() + ":" + n.port());
            m.put("self", n.id().equals(view.selfId()));
            m.put("status", live.status(n.id()).name());
            m.put("since", Instant.ofEpochMilli(live.since(n.id())).toString());
            double phi = gossip.phi(n.id());
            if (Double.isFinite(phi)) {
                m.put("phi", Math.round(phi * 100) / 100.0);
            } else {
                m.putNull("phi");
            }
            MemberState state = membership.state().members().get(n.id());
            if (state != null) {
                m.put("generation", state.generation());
                m.put("heartbeat", state.heartbeat());
            }
            m.put("partitionsOwned", owned.getOrDefault(n.id(), 0));
            m.put("ownershipPercent", Math.round(owned.getOrDefault(n.id(), 0) * 1000.0 / ring.partitions()) / 10.0);
            m.put("pendingHints", pending.getOrDefault(n.id(), 0L));
            m.put("hintsReplayed", metrics.hintsReplayed(n.id()));
        }
        ObjectNode stats = body.putObject("stats");
        stats.put("keys", local.engine().approximateKeyCount());
        stats.put("readRepairsSent", reads.repairsSent());
        stats.put("lwwDiscarded", local.lwwDiscarded());
        var hs = hinter.store().stats();
        ObjectNode hints = body.putObject("hints");
        hints.put("windowMillis", hinter.windowMillis());
        hints.put("stored", hs.stored());
        hints.put("coalesced", hs.coalesced());
        hints.put("delivered", hs.delivered());
        hints.put("expired", hs.expired());
        hints.put("refusedFull", hs.refusedFull());
        hints.put("skippedPastWindow", hinter.skippedPastWindow());
        json(ctx, 200, body);
    }

    public void ring(RoutingContext ctx) {
        RingSnapshot ring = view.ring();
        int n = Math.min(buckets.defaults().n(), ring.members().size());
        ObjectNode body = mapper.createObjectNode();
        body.put("epoch", ring.epoch());
        body.put("partitions", ring.partitions());
        body.put("n", n);
        ArrayNode table = body.putArray("table");
        for (int p = 0; p < ring.partitions(); p++) {
            ObjectNode row = table.addObject();
            row.put("partition", p);
            row.put("owner", ring.owners().get(p));
            List<String> pref = ring.preferenceList(p);
            ArrayNode replicas = row.putArray("replicas");
            pref.subList(0, n).forEach(replicas::add);
            ArrayNode fallbacks = row.putArray("fallbacks");
            pref.subList(n, pref.size()).forEach(fallbacks::add);
        }
        json(ctx, 200, body);
    }

    static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
