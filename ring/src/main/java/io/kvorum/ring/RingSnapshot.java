package io.kvorum.ring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable, versioned view of the ring: its members and the owner of each partition.
 * A membership change produces the next snapshot ({@link #withMembers}); nothing is mutated.
 *
 * @param epoch      version of this snapshot, grows by one on every change
 * @param partitions Q, a power of two (see {@link Partitioner})
 * @param members    members by id (a sorted, unmodifiable copy)
 * @param owners     owner id of each partition, index = partition (an unmodifiable copy)
 */
public record RingSnapshot(long epoch, int partitions, Map<String, Node> members, List<String> owners) {

    public RingSnapshot {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0: " + epoch);
        }
        new Partitioner(partitions); // validates Q
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(owners, "owners");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one member");
        }
        TreeMap<String, Node> sorted = new TreeMap<>();
        members.forEach((id, node) -> {
            if (node == null || !node.id().equals(id)) {
                throw new IllegalArgumentException("member key '" + id + "' does not match node " + node);
            }
            sorted.put(id, node);
        });
        members = Collections.unmodifiableMap(sorted);
        owners = List.copyOf(owners);
        if (owners.size() != partitions) {
            throw new IllegalArgumentException(
                    "owners has " + owners.size() + " entries but the ring has " + partitions + " partitions");
        }
        for (int p = 0; p < partitions; p++) {
            if (!sorted.containsKey(owners.get(p))) {
                throw new IllegalArgumentException(
                        "partition " + p + " is owned by '" + owners.get(p) + "', which is not a member");
            }
        }
    }

    /** A new ring whose partitions are dealt round-robin over the members (see {@link Claim#initial}). */
    public static RingSnapshot create(long epoch, int partitions, Collection<Node> members) {
        Map<String, Node> byId = index(members);
        return new RingSnapshot(epoch, partitions, byId, Claim.initial(partitions, byId.keySet()));
    }

    /**
     * The next snapshot (epoch + 1) with these members; ownership is rebalanced with as few
     * moves as possible (see {@link Claim#rebalance}). Members may change address.
     */
    public RingSnapshot withMembers(Collection<Node> newMembers) {
        Map<String, Node> byId = index(newMembers);
        return new RingSnapshot(epoch + 1, partitions, byId, Claim.rebalance(partitions, owners, byId.keySet()));
    }

    /** The partitioner for this ring's Q. */
    public Partitioner partitioner() {
        return new Partitioner(partitions);
    }

    /** The partition of {@code key} in {@code bucket}. */
    public int partitionOf(String bucket, byte[] key) {
        return partitioner().partitionOf(bucket, key);
    }

    /** The owner id of a partition. */
    public String owner(int partition) {
        checkPartition(partition);
        return owners.get(partition);
    }

    /**
     * All members, in preference order for a partition: its owner, then each distinct owner met
     * walking clockwise (partition + 1, + 2, ... wrapping), then members owning nothing, sorted.
     * The first N are the primaries; the rest are the fallbacks of the sloppy quorum.
     */
    public List<String> preferenceList(int partition) {
        checkPartition(partition);
        Set<String> order = new LinkedHashSet<>();
        for (int i = 0; i < partitions && order.size() < members.size(); i++) {
            order.add(owners.get((partition + i) % partitions));
        }
        order.addAll(members.keySet()); // sorted; only adds members never met
        return List.copyOf(order);
    }

    /** {@link #preferenceList} as nodes. */
    public List<Node> preferenceNodes(int partition) {
        return preferenceList(partition).stream().map(members::get).toList();
    }

    /**
     * The member with this id.
     *
     * @throws IllegalArgumentException if {@code id} is not a member
     */
    public Node member(String id) {
        Node node = members.get(id);
        if (node == null) {
            throw new IllegalArgumentException("'" + id + "' is not a member of the ring at epoch " + epoch);
        }
        return node;
    }

    /** Whether {@code id} is a member. */
    public boolean isMember(String id) {
        return members.containsKey(id);
    }

    /** How many partitions each member owns (members owning none map to 0), sorted by id. */
    public Map<String, Integer> ownership() {
        TreeMap<String, Integer> counts = new TreeMap<>();
        members.keySet().forEach(id -> counts.put(id, 0));
        owners.forEach(id -> counts.merge(id, 1, Integer::sum));
        return Collections.unmodifiableMap(counts);
    }

    private void checkPartition(int partition) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition must be in 0.." + (partitions - 1) + ": " + partition);
        }
    }

    private static Map<String, Node> index(Collection<Node> nodes) {
        Objects.requireNonNull(nodes, "members");
        Map<String, Node> byId = new TreeMap<>();
        for (Node node : new ArrayList<>(nodes)) {
            Objects.requireNonNull(node, "member");
            Node previous = byId.putIfAbsent(node.id(), node);
            if (previous != null && !previous.equals(node)) {
                throw new IllegalArgumentException("two members share id '" + node.id() + "': " + previous + ", " + node);
            }
        }
        return byId;
    }
}
