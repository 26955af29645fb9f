package io.kvorum.system.history;

/**
 * An invocation joined with its completion.
 *
 * @param value  the value written (writes), null otherwise
 * @param result the value an ok read returned (null when the key was absent), null for writes
 * @param reason why it failed or is indeterminate, null otherwise
 * @param completedNanos the monotonic time of the completion, or -1 while pending
 */
public record Operation(long id, String process, Op op, String key, String value, Outcome outcome,
                        String result, String reason, long invokedNanos, long completedNanos) {

    /** Acknowledged by the cluster. */
    public boolean ok() {
        return outcome == Outcome.OK;
    }

    /** May or may not have taken effect: indeterminate, or never completed. */
    public boolean uncertain() {
        return outcome == Outcome.INDETERMINATE || outcome == Outcome.PENDING;
    }
}
