package io.kvorum.ring.gossip;

import io.kvorum.ring.LivenessView;
import io.kvorum.ring.Node;
import io.kvorum.ring.NodeStatus;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's membership knowledge: the gossip table and, for every other member, the arrival
 * history that the failure detector judges. Pure and immutable: a gossip message or a timer
 * tick yields the next {@code Membership}; the adapter that owns the timer, the HTTP calls and
 * the current value lives elsewhere.
 *
 * <p>A heartbeat "arrives" for a member when a merge advances its version, whichever peer
 * relayed it; an advance of several heartbeats at once counts as that many beats (see
 * {@link ArrivalWindow#withBeats}), so the detector learns the member's own rhythm, not the
 * relay's. A member seen at a new generation (it restarted) gets a fresh window: the old
 * process's rhythm says nothing about the new one, and the new one must be UP at once.
 *
 * @param selfId   the local member's id (a member of {@code state})
 * @param state    the gossip table
 * @param detector arrival windows of the other members, and the detector settings
 * @param stopping whether the local node is stopping: its own entry no longer changes (see {@link #stop})
 */
public record Membership(String selfId, GossipState state, PhiAccrualDetector detector, boolean stopping) {

    public Membership(String selfId, GossipState state, PhiAccrualDetector detector) {
        this(selfId, state, detector, false);
    }

    public Membership {
        Objects.requireNonNull(selfId, "selfId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detector, "detector");
        if (!state.members().containsKey(selfId)) {
            throw new IllegalArgumentException("self '" + selfId + "' is not a member of " + state.members().keySet());
        }
    }

    /** A node starting up at {@code generation} (which must exceed that of every earlier run). */
    public static Membership start(Node self, long generation, Collection<Node> seeds,
                                   FailureDetectorConfig config, long nowMillis) {
        return new Membership(self.id(), GossipState.start(self, generation, seeds, nowMillis),
                PhiAccrualDetector.create(config));
    }

    /** The detector settings. */
    public FailureDetectorConfig config() {
        return detector.config();
    }

    /** The local member's entry. */
    public MemberState self() {
        return state.members().get(selfId);
    }

    /**
     * The membership after receiving {@code remote}'s table at {@code nowMillis}: merged, with a
     * heartbeat arrival recorded for every member whose version advanced (a fresh window for a
     * new generation). What {@code remote} says about the local member is not merged (only this
     * process speaks for itself), but if it holds a version above ours, an earlier run reused our
     * generation (say the clock that chose it went backwards): we jump our own version just
     * above it so that the cluster accepts our heartbeats again. The adapter that persists the
     * generation should then persist {@code self().generation()}.
     */
    public Membership onGossip(GossipState remote, long nowMillis) {
        Objects.requireNonNull(remote, "remote");
        MemberState self = self();
        GossipState base = state;
        Optional<MemberState> claimed = remote.member(selfId);
        if (!stopping && claimed.isPresent() && claimed.get().isNewerThan(self)) {
            base = state.withMember(self.withVersion(claimed.get().generation(),
                    Math.addExact(claimed.get().heartbeat(), 1), nowMillis));
        }
        GossipState merged = base.merge(remote.withoutMember(selfId), nowMillis);
        if (merged == state) {
            return this;
        }
        Map<String, Long> beats = new TreeMap<>();
        Set<String> restarted = new TreeSet<>();
        for (String id : merged.changedBy(state)) {
            if (id.equals(selfId)) {
                continue;
            }
            MemberState before = state.members().get(id);
            MemberState after = merged.members().get(id);
            if (before != null && before.generation() != after.generation()) {
                restarted.add(id);
            }
            boolean sameRun = before != null && before.generation() == after.generation()
                    && after.heartbeat() > before.heartbeat();
            beats.put(id, sameRun ? after.heartbeat() - before.heartbeat() : 1L);
        }
        return new Membership(selfId, merged, detector.withBeats(beats, restarted, nowMillis), stopping);
    }

    /**
     * The membership of a node that is stopping in order: its own entry is frozen (no more
     * heartbeats, no jump on a peer's claim), so that the {@link #shutdownAnnouncement} it sends
     * holds its last version and nothing it sends afterwards is newer. Idempotent.
     */
    public Membership stop() {
        return stopping ? this : new Membership(selfId, state, detector, true);
    }

    /**
     * What this node sends its peers when it stops in order: a table holding only its own entry,
     * at its last heartbeat (see {@link #onShutdown}). Take it from a {@link #stop}ped membership.
     */
    public GossipState shutdownAnnouncement() {
        return new GossipState(Map.of(selfId, self()), Map.of());
    }

    /**
     * The membership after {@code announcement} (a {@link #shutdownAnnouncement}) said at
     * {@code nowMillis} that its one member is stopping: its entry is merged and its arrival
     * history dropped, so it is DOWN at once, as if never heard from, instead of after the
     * detector's bound. Nothing it said before can bring it back: only a heartbeat newer than the
     * announced one (in practice its next run's generation) starts a fresh window. An
     * announcement older than what this node knows of the member (it has already restarted) is
     * merged and otherwise ignored. An announcement about the local member changes nothing.
     *
     * @throws IllegalArgumentException if {@code announcement} does not hold exactly one member
     */
    public Membership onShutdown(GossipState announcement, long nowMillis) {
        Objects.requireNonNull(announcement, "announcement");
        if (announcement.members().size() != 1) {
            throw new IllegalArgumentException("a shutdown announcement names exactly one member, not "
                    + announcement.members().keySet());
        }
        MemberState last = announcement.members().values().iterator().next();
        if (last.id().equals(selfId)) {
            return this;
        }
        Membership merged = onGossip(announcement, nowMillis);
        MemberState known = merged.state.members().get(last.id());
        if (known.isNewerThan(last)) {
            return merged;
        }
        return new Membership(selfId, merged.state, merged.detector.without(last.id()), stopping);
    }

    /** The membership after the local member's own heartbeat at {@code nowMillis}. */
    public Membership tick(long nowMillis) {
        if (stopping) {
            return this; // no beat may follow the shutdown announcement
        }
        return new Membership(selfId, state.beat(selfId, nowMillis), detector, false);
    }

    /**
     * The suspicion level of {@code id} at {@code nowMillis}: 0 for the local member,
     * {@link Double#POSITIVE_INFINITY} for an id never heard from.
     */
    public double phi(String id, long nowMillis) {
        return id.equals(selfId) ? 0.0 : detector.phi(id, nowMillis);
    }

    /** UP or DOWN by the detector's threshold; the local member is always UP. */
    public NodeStatus status(String id, long nowMillis) {
        return id.equals(selfId) ? NodeStatus.UP : detector.status(id, nowMillis);
    }

    /**
     * The liveness of every member at {@code nowMillis}, derived from {@code previous} so that
     * each unchanged status keeps its {@code since} and each change is stamped
     * {@code nowMillis}. Ids of {@code previous} that are not members become DOWN.
     */
    public LivenessView liveness(LivenessView previous, long nowMillis) {
        Objects.requireNonNull(previous, "previous");
        LivenessView view = previous;
        for (String id : state.members().keySet()) {
            view = view.withStatus(id, status(id, nowMillis), nowMillis);
        }
        for (String id : previous.statuses().keySet()) {
            if (!state.members().containsKey(id)) {
                view = view.withStatus(id, NodeStatus.DOWN, nowMillis);
            }
        }
        return view;
    }

    /**
     * A first liveness view: every member's status with {@code since = nowMillis}. Later views
     * should come from {@link #liveness(LivenessView, long)} so {@code since} keeps its meaning.
     */
    public LivenessView liveness(long nowMillis) {
        return liveness(new LivenessView(Map.of(), Map.of()), nowMillis);
    }

    /** The peer to gossip with this round (see {@link GossipState#pickPeer}), by current liveness. */
    public Optional<String> pickPeer(long nowMillis, Random random) {
        return state.pickPeer(upIds(nowMillis), selfId, random);
    }

    /** An extra, unreachable peer to try this round, or none (see {@link GossipState#pickUnreachable}). */
    public Optional<String> pickUnreachable(long nowMillis, Random random) {
        return state.pickUnreachable(upIds(nowMillis), selfId, random);
    }

    private Set<String> upIds(long nowMillis) {
        Set<String> up = new TreeSet<>();
        for (String id : state.members().keySet()) {
            if (status(id, nowMillis) == NodeStatus.UP) {
                up.add(id);
            }
        }
        return up;
    }
}
