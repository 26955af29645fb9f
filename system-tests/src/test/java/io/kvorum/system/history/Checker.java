package io.kvorum.system.history;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Checks histories against what the cluster holds at the end. Pure: operations and final reads
 * in, a report out.
 */
public final class Checker {
    private Checker() {
    }

    /**
     * A unique-key write workload: every key is written at most once, so the final read of a key
     * must hold exactly the value of its write if that write was acknowledged, may hold it if the
     * write is indeterminate, and must not hold it if the write certainly failed. Reads and
     * deletes in the history are ignored.
     *
     * @param operations the history's operations
     * @param finalReads what the final reads found, by key; a key missing from the map was not read
     * @throws IllegalArgumentException if a key was written more than once
     */
    public static UniqueKeyReport uniqueKeyWrites(List<Operation> operations, Map<String, FinalRead> finalReads) {
        Map<String, Operation> writes = new HashMap<>();
        for (Operation o : operations) {
            if (o.op() != Op.WRITE) {
                continue;
            }
            Operation earlier = writes.putIfAbsent(o.key(), o);
            if (earlier != null) {
                throw new IllegalArgumentException("not a unique-key history: key '" + o.key() + "' is written by"
                        + " operations " + earlier.id() + " and " + o.id());
            }
        }
        SortedSet<String> acked = new TreeSet<>();
        SortedSet<String> lost = new TreeSet<>();
        SortedSet<String> unexpected = new TreeSet<>();
        SortedSet<String> recovered = new TreeSet<>();
        SortedSet<String> indeterminateAbsent = new TreeSet<>();
        SortedSet<String> failed = new TreeSet<>();
        SortedSet<String> failedButPresent = new TreeSet<>();
        SortedSet<String> unread = new TreeSet<>();
        for (Operation w : writes.values()) {
            String key = w.key();
            if (w.ok()) {
                acked.add(key);
            }
            FinalRead read = finalReads.get(key);
            if (read == null) {
                unread.add(key);
                continue;
            }
            if (read.present() && !read.value().equals(w.value())) {
                unexpected.add(key);
            }
            switch (w.outcome()) {
                case OK -> {
                    if (!read.holds(w.value())) {
                        lost.add(key);
                    }
                }
                case INDETERMINATE, PENDING -> (read.holds(w.value()) ? recovered : indeterminateAbsent).add(key);
                case FAIL -> (read.holds(w.value()) ? failedButPresent : failed).add(key);
            }
        }
        for (Map.Entry<String, FinalRead> e : finalReads.entrySet()) {
            if (e.getValue().present() && !writes.containsKey(e.getKey())) {
                unexpected.add(e.getKey());
            }
        }
        return new UniqueKeyReport(writes.size(), frozen(acked), frozen(lost), frozen(unexpected), frozen(recovered),
                frozen(indeterminateAbsent), frozen(failed), frozen(failedButPresent), frozen(unread));
    }

    private static SortedSet<String> frozen(SortedSet<String> s) {
        return Collections.unmodifiableSortedSet(s);
    }
}
