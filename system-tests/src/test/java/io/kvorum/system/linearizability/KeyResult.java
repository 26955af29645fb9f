package io.kvorum.system.linearizability;

import java.util.List;
import java.util.Objects;

/**
 * What the check found for one key's register.
 *
 * @param key         the key
 * @param verdict     the conclusion for this key
 * @param operations  operations checked (failed operations and indeterminate reads are not)
 * @param states      distinct search states explored
 * @param linearized  for a linearizable key, one linearization (the indeterminate operations it
 *                    leaves out never took effect); otherwise the longest prefix of a linearization
 *                    the search found, in order
 * @param stuck       for a non-linearizable key, the operation the search could not place after
 *                    that prefix though it had completed by then; null otherwise
 * @param explanation a report for a developer: empty for a linearizable key, why the search gave
 *                    up for an unknown one, the prefix and the operations that could not follow it
 *                    for a non-linearizable one
 */
public record KeyResult(String key, Verdict verdict, int operations, long states, List<RegisterOp> linearized,
                        RegisterOp stuck, String explanation) {
    public KeyResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(verdict, "verdict");
        linearized = List.copyOf(linearized);
        Objects.requireNonNull(explanation, "explanation");
    }
}
