package io.kvorum.system.linearizability;

/** What a linearizability check concluded. */
public enum Verdict {
    /** Some order of the operations, consistent with real time, is a legal run of a register. */
    LINEARIZABLE,
    /** No such order exists: the history shows an anomaly. */
    NOT_LINEARIZABLE,
    /** The search ran out of its {@link Budget} before it could decide. */
    UNKNOWN
}
