package io.kvorum.ring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Claim: which node owns each partition ({@code owners.get(p)} is the id of the owner of
 * partition {@code p}). Pure and deterministic: the same inputs give the same owners,
 * whatever the order of the node ids.
 *
 * <p>Balance: each of the S nodes owns {@code floor(Q/S)} or {@code ceil(Q/S)} partitions.
 * Minimal movement: {@link #rebalance} moves only the partitions of departed nodes and the
 * excess of over-quota nodes, the least any balanced claim can move. Within that, it prefers
 * placements where no two consecutive partitions share an owner, and spreads a taker's new
 * partitions around the ring.
 */
public final class Claim {
    private Claim() {
    }

    /**
     * Round-robin over the sorted ids: partition {@code p} goes to {@code sorted[p % S]}, so
     * consecutive partitions have distinct owners (except partitions Q-1 and 0 when Q mod S == 1).
     */
    public static List<String> initial(int partitions, Collection<String> nodeIds) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        List<String> ids = sortedIds(nodeIds);
        List<String> owners = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            owners.add(ids.get(p % ids.size()));
        }
        return List.copyOf(owners);
    }

    /**
     * Re-balances {@code previousOwners} (one entry per partition) over {@code nodeIds} with as
     * few moves as possible.
     */
    public static List<String> rebalance(List<String> previousOwners, Collection<String> nodeIds) {
        Objects.requireNonNull(previousOwners, "previousOwners");
        if (previousOwners.isEmpty()) {
            throw new IllegalArgumentException("previousOwners is empty: a ring has at least one partition");
        }
        for (int p = 0; p < previousOwners.size(); p++) {
            if (previousOwners.get(p) == null) {
                throw new IllegalArgumentException("previousOwners has no owner for partition " + p);
            }
        }
        return new Rebalance(previousOwners, sortedIds(nodeIds)).run();
    }

    /**
     * As {@link #rebalance(List, Collection)}, checking that {@code previousOwners} has exactly
     * {@code partitions} entries.
     */
    public static List<String> rebalance(int partitions, List<String> previousOwners, Collection<String> nodeIds) {
        Objects.requireNonNull(previousOwners, "previousOwners");
        if (previousOwners.size() != partitions) {
            throw new IllegalArgumentException("previousOwners has " + previousOwners.size()
                    + " entries but the ring has " + partitions + " partitions");
        }
        return rebalance(previousOwners, nodeIds);
    }

    private static List<String> sortedIds(Collection<String> nodeIds) {
        Objects.requireNonNull(nodeIds, "nodeIds");
        if (nodeIds.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("node ids contain null");
        }
        List<String> ids = List.copyOf(new TreeSet<>(nodeIds));
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a claim needs at least one node");
        }
        return ids;
    }

    /** One rebalance computation; mutable scratch state, never escapes. */
    private static final class Rebalance {
        private final String[] owners;
        private final int q;
        private final List<String> ids;
        private final Set<String> members;
        /** Remaining partitions each over-quota node must give away. */
        private final Map<String, Integer> excess = new HashMap<>();
        /** Remaining partitions each under-quota node must take (sorted id order). */
        private final Map<String, Integer> deficit = new HashMap<>();
        private final Map<String, Integer> spacing = new HashMap<>();
        private final Map<String, Integer> nextAllowed = new HashMap<>();

        Rebalance(List<String> previous, List<String> ids) {
            this.owners = previous.toArray(new String[0]);
            this.q = owners.length;
            this.ids = ids;
            this.members = Set.copyOf(ids);
        }

        List<String> run() {
            computeQuotas();
            // Pass 0 heals adjacent duplicates, pass 1 spreads takers' partitions, pass 2 only
            // avoids adjacency, pass 3 settles whatever is left.
            walk(true, true, false);
            walk(false, true, true);
            walk(false, true, false);
            walk(false, false, false);
            return List.of(owners);
        }

        private void computeQuotas() {
            Map<String, Integer> counts = new HashMap<>();
            ids.forEach(id -> counts.put(id, 0));
            for (String o : owners) {
                counts.computeIfPresent(o, (k, c) -> c + 1);
            }
            int base = q / ids.size();
            int extra = q % ids.size();
            // The ceil quotas go to the nodes that already hold the most: that minimises moves.
            List<String> byCount = new ArrayList<>(ids);
            byCount.sort(Comparator.comparing((String id) -> counts.get(id)).reversed());
            for (int i = 0; i < byCount.size(); i++) {
                String id = byCount.get(i);
                int quota = base + (i < extra ? 1 : 0);
                int diff = counts.get(id) - quota;
                if (diff > 0) {
                    excess.put(id, diff);
                } else if (diff < 0) {
                    deficit.put(id, -diff);
                    spacing.put(id, Math.max(1, q / -diff));
                    nextAllowed.put(id, 0);
                }
            }
        }

        private void walk(boolean onlyConflicted, boolean avoidAdjacent, boolean spaced) {
            for (int p = 0; p < q && !deficit.isEmpty(); p++) {
                String owner = owners[p];
                if (members.contains(owner) && !excess.containsKey(owner)) {
                    continue; // neither departed nor over quota: stays put
                }
                String prev = owners[Math.floorMod(p - 1, q)];
                String next = owners[(p + 1) % q];
                if (onlyConflicted && !owner.equals(prev) && !owner.equals(next)) {
                    continue;
                }
                String taker = chooseTaker(p, prev, next, avoidAdjacent, spaced);
                if (taker != null) {
                    move(p, owner, taker);
                }
            }
        }

        /** The taker with the largest remaining deficit (then smallest id) allowed at {@code p}. */
        private String chooseTaker(int p, String prev, String next, boolean avoidAdjacent, boolean spaced) {
            String best = null;
            for (String id : ids) {
                Integer d = deficit.get(id);
                if (d == null
                        || (avoidAdjacent && (id.equals(prev) || id.equals(next)))
                        || (spaced && p < nextAllowed.get(id))) {
                    continue;
                }
                if (best == null || d > deficit.get(best)) {
                    best = id;
                }
            }
            return best;
        }

        private void move(int p, String from, String to) {
            owners[p] = to;
            excess.computeIfPresent(from, (k, e) -> e > 1 ? e - 1 : null);
            deficit.computeIfPresent(to, (k, d) -> d > 1 ? d - 1 : null);
            nextAllowed.put(to, p + spacing.get(to));
        }
    }
}
