package io.kvorum.system.history;

import java.util.Set;
import java.util.SortedSet;

/**
 * What a {@link Checker} found for a unique-key write workload. Every set holds keys.
 *
 * @param invoked             writes invoked
 * @param acked               writes the cluster acknowledged
 * @param lost                acknowledged, but the final read found nothing or another value
 * @param unexpected          the final read found a value no invoked write wrote for that key
 * @param recovered           indeterminate (or pending) writes that turned out present
 * @param indeterminateAbsent indeterminate (or pending) writes that turned out absent
 * @param failed              writes that certainly failed and are absent, as they should be
 * @param failedButPresent    writes the client was told certainly failed, yet present
 * @param unread              written keys with no final read at all (the check could not look)
 */
public record UniqueKeyReport(int invoked, SortedSet<String> acked, SortedSet<String> lost,
                              SortedSet<String> unexpected, SortedSet<String> recovered,
                              SortedSet<String> indeterminateAbsent, SortedSet<String> failed,
                              SortedSet<String> failedButPresent, SortedSet<String> unread) {

    /** Indeterminate writes, present or absent: {@code recovered + indeterminateAbsent}. */
    public int indeterminate() {
        return recovered.size() + indeterminateAbsent.size();
    }

    /** No acknowledged write lost, nothing unexpected, no failed write present, every acked key read. */
    public boolean valid() {
        return lost.isEmpty() && unexpected.isEmpty() && failedButPresent.isEmpty()
                && unread.stream().noneMatch(acked::contains);
    }

    /** One line of figures, then the offending keys (at most ten of each). */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(
                "invoked %d, acked %d, lost %d, unexpected %d, indeterminate %d (recovered %d, absent %d),"
                        + " failed %d, failed-but-present %d, unread %d",
                invoked, acked.size(), lost.size(), unexpected.size(), indeterminate(), recovered.size(),
                indeterminateAbsent.size(), failed.size(), failedButPresent.size(), unread.size()));
        sample(sb, "lost", lost);
        sample(sb, "unexpected", unexpected);
        sample(sb, "failed-but-present", failedButPresent);
        sample(sb, "unread", unread);
        return sb.toString();
    }

    private static void sample(StringBuilder sb, String name, Set<String> keys) {
        if (!keys.isEmpty()) {
            sb.append("; ").append(name).append(": ").append(keys.stream().limit(10).toList())
                    .append(keys.size() > 10 ? " ..." : "");
        }
    }
}
