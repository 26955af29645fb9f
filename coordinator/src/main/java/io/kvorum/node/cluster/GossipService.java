package io.kvorum.node.cluster;

import io.kvorum.node.config.NodeConfig;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.ring.Clock;
import io.kvorum.ring.LivenessView;
import io.kvorum.ring.Node;
import io.kvorum.ring.NodeStatus;
import io.kvorum.ring.gossip.FailureDetectorConfig;
import io.kvorum.ring.gossip.GossipCodec;
import io.kvorum.ring.gossip.GossipState;
import io.kvorum.ring.gossip.Membership;
import io.kvorum.ring.gossip.PhiAccrualDetector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The gossip transport around the pure {@link Membership}: every interval this node beats its
 * own heartbeat and exchanges its whole gossip table with one random live peer (push-pull over
 * {@code POST /internal/v1/gossip}), sometimes also with a peer it believes down, so that the
 * two sides of a healed partition find each other again. Each exchange feeds the phi-accrual
 * detector; after each exchange and each tick, and every {@link #livenessCheckMillis} between
 * them, the node's {@link ClusterView} liveness is recomputed from it.
 *
 * <p>At start every configured member is presumed alive, as if heard from at that moment: a
 * member that never answers is convicted like any silent member, after the detector's bound
 * ({@link PhiAccrualDetector#worstCaseDetectionMillis}), instead of refusing every request
 * until the first exchange.
 *
 * <p>The exchanges use their own small connection pool, so gossip never queues behind replica
 * traffic.
 */
public final class GossipService {
    private static final Logger log = LoggerFactory.getLogger(GossipService.class);
    private static final int WINDOW_SIZE = 1000;

    private final Vertx vertx;
    private final ClusterView view;
    private final HttpInternalClient client;
    private final Clock clock;
    private final NodeConfig.Gossip settings;
    private final Random random;
    private final AtomicReference<Membership> membership;
    private long timerId = -1;
    private long checkTimerId = -1;

    public GossipService(Vertx vertx, ClusterView view, HttpInternalClient client, Clock clock, Node self,
                         Collection<Node> members, NodeConfig.Gossip settings, long generation, Random random) {
        this.vertx = vertx;
        this.view = view;
        this.client = client;
        this.clock = clock;
        this.settings = settings;
        this.random = random;
        long now = clock.millis();
        Membership start = Membership.start(self, generation, members, detectorConfig(settings), now);
        Set<String> others = new TreeSet<>();
        members.forEach(m -> others.add(m.id()));
        others.remove(self.id());
        this.membership = new AtomicReference<>(new Membership(start.selfId(), start.state(),
                start.detector().withArrivals(others, Set.of(), now)));
    }

    /** The detector settings for a gossip interval and threshold: it expects one beat per interval. */
    public static FailureDetectorConfig detectorConfig(NodeConfig.Gossip settings) {
        return new FailureDetectorConfig(settings.phiConvictThreshold(), WINDOW_SIZE, settings.intervalMillis(),
                2 * settings.intervalMillis());
    }

    /** How long after its last heartbeat a steadily beating peer is convicted, at these settings. */
    public static long detectionBoundMillis(NodeConfig.Gossip settings) {
        return PhiAccrualDetector.worstCaseDetectionMillis(detectorConfig(settings));
    }

    /**
     * How often liveness is re-judged between gossip rounds: a quarter of the interval, so that a
     * peer is seen DOWN within a quarter interval of its phi crossing the threshold rather than at
     * the next round.
     */
    public static long livenessCheckMillis(NodeConfig.Gossip settings) {
        return Math.max(1, settings.intervalMillis() / 4);
    }

    public void start() {
        round();
        timerId = vertx.setPeriodic(settings.intervalMillis(), id -> round());
        checkTimerId = vertx.setPeriodic(livenessCheckMillis(settings), id -> update(UnaryOperator.identity()));
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        if (checkTimerId >= 0) {
            vertx.cancelTimer(checkTimerId);
        }
        membership.updateAndGet(Membership::stop); // a round already running beats no more
    }

    /** The current membership (immutable). */
    public Membership membership() {
        return membership.get();
    }

    /** phi of a member now, as this node sees it; 0 for itself. */
    public double phi(String id) {
        return membership.get().phi(id, clock.millis());
    }

    /** A peer's table arrived: merge it and answer with ours. */
    public byte[] onGossip(byte[] remote) {
        GossipState state = GossipCodec.decode(remote);
        Membership after = update(m -> m.onGossip(state, clock.millis()));
        return GossipCodec.encode(after.state());
    }

    /**
     * A peer said it is stopping ({@code POST /internal/v1/gossip/shutdown}): it is DOWN in this
     * node's view at once (see {@link Membership#onShutdown}).
     *
     * @throws IllegalArgumentException if the message does not decode or names other than one member
     */
    public void onShutdown(byte[] announcement) {
        GossipState state = GossipCodec.decode(announcement);
        Membership before = membership.get();
        Membership after = update(m -> m.onShutdown(state, clock.millis()));
        String id = state.members().keySet().iterator().next(); // onShutdown checked there is exactly one
        if (before.detector().window(id).isPresent() && after.detector().window(id).isEmpty()) {
            log.info("peer {} is DOWN: it announced that it is stopping", id);
        }
    }

    /**
     * Tells every other member that this node is stopping, so that they stop sending it requests
     * now rather than after the failure detector's bound. Best effort: completes, successfully,
     * once every peer answered or failed, within {@code gossipTimeoutMillis}. Call it after
     * {@link #stop()}, so that no heartbeat follows the announcement.
     */
    public Future<Void> announceShutdown() {
        Membership m = membership.updateAndGet(Membership::stop); // atomically the last version we send
        byte[] body = GossipCodec.encode(m.shutdownAnnouncement());
        Map<String, Node> peers = new TreeMap<>(m.state().seeds()); // those not heard from yet too
        m.state().members().values().forEach(member -> peers.put(member.id(), member.node()));
        peers.remove(m.selfId());
        List<Future<Void>> calls = new ArrayList<>();
        peers.forEach((id, node) -> calls.add(client.gossipShutdown(node, body, settings.timeoutMillis())
                .onFailure(e -> log.debug("could not tell {} that this node stops: {}", id, e.getMessage()))
                .otherwiseEmpty()));
        return Future.join(calls).transform(ar -> Future.succeededFuture());
    }

    private void round() {
        long now = clock.millis();
        Membership m = update(x -> x.tick(now));
        if (m.stopping()) {
            return;
        }
        Optional<String> peer = m.pickPeer(now, random);
        peer.ifPresent(this::exchange);
        m.pickUnreachable(now, random).filter(id -> !peer.equals(Optional.of(id))).ifPresent(this::exchange);
    }

    private void exchange(String peerId) {
        Membership m = membership.get();
        Optional<Node> node = m.state().node(peerId);
        if (node.isEmpty()) {
            return;
        }
        client.gossip(node.get(), GossipCodec.encode(m.state()), settings.timeoutMillis())
                .compose(reply -> {
                    GossipState state = GossipCodec.decode(reply);
                    update(x -> x.onGossip(state, clock.millis()));
                    return Future.<Void>succeededFuture();
                })
                .onFailure(e -> {
                    log.debug("gossip with {} failed: {}", peerId, e.getMessage());
                    update(UnaryOperator.identity());
                });
    }

    /** Applies a step to the membership and refreshes the liveness view from the result. */
    private Membership update(UnaryOperator<Membership> step) {
        Membership after = membership.updateAndGet(step);
        long now = clock.millis();
        List<String> ids = view.ring().members().keySet().stream().toList();
        LivenessView before = view.liveness();
        LivenessView next = view.updateLiveness(previous -> {
            // judged from the membership as it is now, not as this step left it: another thread's
            // newer step (a stop announcement, say) must not be overwritten by this older one
            Membership current = membership.get();
            long t = clock.millis();
            LivenessView v = previous;
            for (String id : ids) {
                v = v.withStatus(id, id.equals(view.selfId()) ? NodeStatus.UP : current.status(id, t), t);
            }
            return v;
        });
        for (String id : ids) {
            if (before.status(id) != next.status(id)) {
                log.info("peer {} is now {} (phi {})", id, next.status(id),
                        String.format("%.2f", after.phi(id, now)));
            }
        }
        return after;
    }
}
