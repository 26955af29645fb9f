package io.kvorum.system.linearizability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a history of register operations is linearizable: that there is one order of the
 * operations, consistent with real time (an operation that completed before another was invoked
 * comes first), in which every operation's result is what a single register would have given.
 *
 * <p>Each key is checked alone (see {@link KeyedHistory}) by Wing and Gong's search with Lowe's
 * memoization. Failed operations certainly did not happen and are dropped; indeterminate reads
 * say nothing and are dropped; indeterminate writes and CASes may have taken effect at any time
 * after their invocation, or never, and the search tries both. The search is exponential in the
 * worst case; the {@link Budget} bounds it, and a key that exceeds it is {@link Verdict#UNKNOWN}.
 *
 * <p>Pure and single-threaded; each call is independent.
 */
public final class LinearizabilityChecker {
    private LinearizabilityChecker() {
    }

    /** Checks with {@link Budget#DEFAULT}. */
    public static CheckResult check(List<RegisterOp> history) {
        return check(history, Budget.DEFAULT);
    }

    /**
     * Checks a history of any number of keys.
     *
     * @param history every operation recorded, in any order, of any completion
     * @param budget  bounds the search; a key that exceeds it is {@link Verdict#UNKNOWN}
     * @throws IllegalArgumentException if two operations share an id
     */
    public static CheckResult check(List<RegisterOp> history, Budget budget) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(budget, "budget");
        long deadline = System.nanoTime() + budget.timeLimit().toNanos();
        Set<Long> ids = new HashSet<>();
        long origin = Long.MAX_VALUE;
        for (RegisterOp op : history) {
            if (!ids.add(op.id())) {
                throw new IllegalArgumentException("two operations have the id " + op.id());
            }
            origin = Math.min(origin, op.invokeNanos());
        }
        int dropped = 0;
        List<KeyResult> results = new ArrayList<>();
        for (Map.Entry<String, List<RegisterOp>> e : KeyedHistory.split(history).entrySet()) {
            List<RegisterOp> checked = new ArrayList<>();
            for (RegisterOp op : e.getValue()) {
                if (checked(op)) {
                    checked.add(op);
                } else {
                    dropped++;
                }
            }
            results.add(WglSearch.check(e.getKey(), checked, budget.maxStatesPerKey(), deadline, origin));
        }
        return CheckResult.of(results, dropped);
    }

    /** Whether an operation constrains the register: not a failure, not an indeterminate read. */
    static boolean checked(RegisterOp op) {
        return switch (op.completion()) {
            case OK, PRECONDITION_FAILED -> true;
            case FAIL -> false;
            case INFO -> op.kind() != RegisterOp.Kind.READ;
        };
    }
}
