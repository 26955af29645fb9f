package io.kvorum.ring.gossip;

import io.kvorum.ring.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The gossiped membership table: one {@link MemberState} per member id, plus the seeds this node
 * was started with. Immutable. {@link #merge} is a join on versions: per member, the higher
 * {@code (generation, heartbeat)} wins, so merging is commutative, associative and idempotent
 * on versions and any two nodes that have exchanged state agree. Seeds are local configuration
 * (addresses to try when nobody is known to be up); they are not merged and not gossiped.
 *
 * @param members gossip entries by member id (the id of each entry's node)
 * @param seeds   seed nodes by id, never including the local node
 */
public record GossipState(Map<String, MemberState> members, Map<String, Node> seeds) {

    public GossipState {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(seeds, "seeds");
        members = Collections.unmodifiableMap(new TreeMap<>(members));
        seeds = Collections.unmodifiableMap(new TreeMap<>(seeds));
        members.forEach((id, m) -> {
            if (m == null || !m.id().equals(id)) {
                throw new IllegalArgumentException("member entry under '" + id + "' is for " + (m == null ? null : m.id()));
            }
        });
        seeds.forEach((id, n) -> {
            if (n == null || !n.id().equals(id)) {
                throw new IllegalArgumentException("seed under '" + id + "' is " + n);
            }
        });
    }

    /** A state that knows nobody. */
    public static GossipState empty() {
        return new GossipState(Map.of(), Map.of());
    }

    /**
     * The state of a node starting up: itself at {@code generation} with heartbeat 0, and the
     * seeds to contact (entries naming the local node, by id or by address, are dropped, so every
     * node may be given the same seed list).
     */
    public static GossipState start(Node self, long generation, Collection<Node> seeds, long nowMillis) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(seeds, "seeds");
        Map<String, Node> seedMap = new TreeMap<>();
        for (Node seed : seeds) {
            Objects.requireNonNull(seed, "seed");
            boolean isSelf = seed.id().equals(self.id())
                    || (seed.host().equals(self.host()) && seed.port() == self.port());
            if (!isSelf) {
                Node previous = seedMap.putIfAbsent(seed.id(), seed);
                if (previous != null && !previous.equals(seed)) {
                    throw new IllegalArgumentException("two seeds with id " + seed.id() + ": " + previous.spec() + ", " + seed.spec());
                }
            }
        }
        return new GossipState(Map.of(self.id(), new MemberState(self, generation, 0, nowMillis)), seedMap);
    }

    /** The entry of {@code id}, if gossip knows it. */
    public Optional<MemberState> member(String id) {
        return Optional.ofNullable(members.get(id));
    }

    /** The address of {@code id}, from its gossip entry or else from the seeds. */
    public Optional<Node> node(String id) {
        MemberState m = members.get(id);
        return m != null ? Optional.of(m.node()) : Optional.ofNullable(seeds.get(id));
    }

    /** The state with {@code member}'s entry replaced (or added), whatever its version. */
    public GossipState withMember(MemberState member) {
        Objects.requireNonNull(member, "member");
        Map<String, MemberState> next = new TreeMap<>(members);
        next.put(member.id(), member);
        return new GossipState(next, seeds);
    }

    /** The state without the member {@code id} (seeds unchanged). */
    public GossipState withoutMember(String id) {
        if (!members.containsKey(id)) {
            return this;
        }
        Map<String, MemberState> next = new TreeMap<>(members);
        next.remove(id);
        return new GossipState(next, seeds);
    }

    /** The same members, no seeds (what travels on the wire). */
    public GossipState withoutSeeds() {
        return seeds.isEmpty() ? this : new GossipState(members, Map.of());
    }

    /**
     * This state joined with {@code remote}: per member, the entry with the higher
     * {@code (generation, heartbeat)}. An entry taken from {@code remote} is stamped
     * {@code updatedAtMillis = nowMillis}; on equal versions the local entry is kept (unless the
     * two disagree on the address, which a correct member never does within a generation; then
     * the address with the greater {@code id@host:port} wins, so the result does not depend on
     * who merges whom). Seeds are this state's. Returns {@code this} when nothing changes.
     */
    public GossipState merge(GossipState remote, long nowMillis) {
        Objects.requireNonNull(remote, "remote");
        Map<String, MemberState> next = null;
        for (MemberState theirs : remote.members.values()) {
            MemberState ours = members.get(theirs.id());
            if (ours == null || takesOver(theirs, ours)) {
                if (next == null) {
                    next = new TreeMap<>(members);
                }
                next.put(theirs.id(), theirs.withUpdatedAtMillis(nowMillis));
            }
        }
        return next == null ? this : new GossipState(next, seeds);
    }

    private static boolean takesOver(MemberState theirs, MemberState ours) {
        int byVersion = theirs.compareVersion(ours);
        return byVersion > 0 || (byVersion == 0 && theirs.node().spec().compareTo(ours.node().spec()) > 0);
    }

    /**
     * The state after the local member {@code selfId} beat once at {@code nowMillis}.
     *
     * @throws IllegalArgumentException if {@code selfId} is not a member
     */
    public GossipState beat(String selfId, long nowMillis) {
        MemberState self = members.get(selfId);
        if (self == null) {
            throw new IllegalArgumentException("cannot beat for '" + selfId + "': not a member of " + members.keySet());
        }
        return withMember(self.beat(nowMillis));
    }

    /**
     * The members whose version is higher here than in {@code before} (including members
     * {@code before} did not know): for a receiver of gossip, the heartbeats that arrived.
     */
    public Set<String> changedBy(GossipState before) {
        Objects.requireNonNull(before, "before");
        Set<String> changed = new TreeSet<>();
        members.forEach((id, m) -> {
            MemberState old = before.members.get(id);
            if (old == null || m.isNewerThan(old)) {
                changed.add(id);
            }
        });
        return Collections.unmodifiableSet(changed);
    }

    /**
     * The peer to gossip with this round: a uniformly random id of {@code live} other than
     * {@code selfId} whose address is known; when there is none, a random seed or member other
     * than {@code selfId} (so a node that restarted, or that believes everyone is down, still
     * reaches out); empty only when no other node is known. Deterministic for a given
     * {@code random} state.
     */
    public Optional<String> pickPeer(Set<String> live, String selfId, Random random) {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(random, "random");
        List<String> candidates = new ArrayList<>();
        for (String id : new TreeSet<>(live)) {
            if (!id.equals(selfId) && node(id).isPresent()) {
                candidates.add(id);
            }
        }
        if (candidates.isEmpty()) {
            candidates.addAll(others(selfId));
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    /**
     * An extra peer to gossip with this round, among the known nodes not in {@code live}, with
     * Cassandra's probability {@code unreachable / (live + 1)}: without it, two sides of a
     * healed partition that each still see some live peers would never talk to each other again.
     * Deterministic for a given {@code random} state.
     */
    public Optional<String> pickUnreachable(Set<String> live, String selfId, Random random) {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(random, "random");
        List<String> unreachable = new ArrayList<>();
        int liveCount = 0;
        for (String id : others(selfId)) {
            if (live.contains(id)) {
                liveCount++;
            } else {
                unreachable.add(id);
            }
        }
        if (unreachable.isEmpty()) {
            return Optional.empty();
        }
        double probability = (double) unreachable.size() / (liveCount + 1);
        if (random.nextDouble() >= probability) {
            return Optional.empty();
        }
        return Optional.of(unreachable.get(random.nextInt(unreachable.size())));
    }

    /** Every known id (members and seeds) except {@code selfId}, sorted. */
    private List<String> others(String selfId) {
        Set<String> ids = new TreeSet<>(members.keySet());
        ids.addAll(seeds.keySet());
        ids.remove(selfId);
        return new ArrayList<>(ids);
    }
}
