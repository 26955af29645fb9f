package io.kvorum.system.linearizability;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link LinearizabilityChecker} found for a history. The history is linearizable iff
 * every key's sub-history is (linearizability is local), so the verdict is
 * {@link Verdict#NOT_LINEARIZABLE} if any key is, else {@link Verdict#UNKNOWN} if any key is
 * undecided, else {@link Verdict#LINEARIZABLE}.
 *
 * @param verdict    the conclusion for the whole history
 * @param operations operations checked, all keys together
 * @param dropped    operations not checked: failed ones, and indeterminate reads
 * @param states     search states explored, all keys together
 * @param keys       each key's result, in key order
 */
public record CheckResult(Verdict verdict, int operations, int dropped, long states, List<KeyResult> keys) {
    /** Keys shown in full by {@link #explanation()}; the rest are only named. */
    private static final int EXPLAINED_KEYS = 3;

    public CheckResult {
        Objects.requireNonNull(verdict, "verdict");
        keys = List.copyOf(keys);
    }

    /** Combines the keys' results. */
    static CheckResult of(List<KeyResult> keys, int dropped) {
        Verdict verdict = Verdict.LINEARIZABLE;
        int operations = 0;
        long states = 0;
        for (KeyResult k : keys) {
            operations += k.operations();
            states += k.states();
            if (k.verdict() == Verdict.NOT_LINEARIZABLE) {
                verdict = Verdict.NOT_LINEARIZABLE;
            } else if (k.verdict() == Verdict.UNKNOWN && verdict == Verdict.LINEARIZABLE) {
                verdict = Verdict.UNKNOWN;
            }
        }
        return new CheckResult(verdict, operations, dropped, states, keys);
    }

    public boolean linearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** The keys whose verdict is {@code v}. */
    public List<KeyResult> keys(Verdict v) {
        return keys.stream().filter(k -> k.verdict() == v).toList();
    }

    /** One line: the verdict, the figures, and the keys that are not linearizable or undecided. */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format("%s: %d keys, %d operations checked (%d dropped), %d states",
                verdict, keys.size(), operations, dropped, states));
        for (Verdict v : List.of(Verdict.NOT_LINEARIZABLE, Verdict.UNKNOWN)) {
            List<String> names = keys(v).stream().map(KeyResult::key).toList();
            if (!names.isEmpty()) {
                sb.append("; ").append(v == Verdict.UNKNOWN ? "undecided" : "not linearizable").append(": ")
                        .append(names.stream().limit(10).toList()).append(names.size() > 10 ? " ..." : "");
            }
        }
        return sb.toString();
    }

    /**
     * The summary, then the explanation of the first few keys that are not linearizable (or, if
     * none is, undecided): the message for a failing test.
     */
    public String explanation() {
        StringBuilder sb = new StringBuilder(summary());
        List<KeyResult> shown = keys(Verdict.NOT_LINEARIZABLE);
        if (shown.isEmpty()) {
            shown = keys(Verdict.UNKNOWN);
        }
        for (KeyResult k : shown.subList(0, Math.min(EXPLAINED_KEYS, shown.size()))) {
            sb.append('\n').append(k.explanation());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
