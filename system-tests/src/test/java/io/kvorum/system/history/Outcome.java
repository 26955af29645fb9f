package io.kvorum.system.history;

/**
 * How an operation ended, as the client saw it.
 *
 * <ul>
 *   <li>{@code OK}: the cluster acknowledged it.</li>
 *   <li>{@code FAIL}: it certainly did not happen (rejected before anything was sent to a replica,
 *       or the request never left the client).</li>
 *   <li>{@code INDETERMINATE}: it may or may not have happened (a timeout, a connection lost after
 *       the request was sent, a 504, a 503 that says the write may have been applied).</li>
 *   <li>{@code PENDING}: invoked and never completed (the client was still waiting when the
 *       history was read); a checker treats it as indeterminate.</li>
 * </ul>
 */
public enum Outcome {
    OK,
    FAIL,
    INDETERMINATE,
    PENDING
}
