package io.kvorum.system.linearizability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Splits a history by key. Linearizability is local (Herlihy and Wing): a history of many
 * registers is linearizable iff each register's sub-history is, so each key is checked alone,
 * which keeps the exponential search small.
 */
public final class KeyedHistory {
    private KeyedHistory() {
    }

    /** Each key's operations in invocation order (ties in the order given), keys in order. */
    public static SortedMap<String, List<RegisterOp>> split(Collection<RegisterOp> history) {
        SortedMap<String, List<RegisterOp>> byKey = new TreeMap<>();
        for (RegisterOp op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        SortedMap<String, List<RegisterOp>> frozen = new TreeMap<>();
        byKey.forEach((key, ops) -> {
            ops.sort(Comparator.comparingLong(RegisterOp::invokeNanos));
            frozen.put(key, List.copyOf(ops));
        });
        return Collections.unmodifiableSortedMap(frozen);
    }
}
