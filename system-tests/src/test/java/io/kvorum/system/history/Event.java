package io.kvorum.system.history;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a history file: an invocation, its completion, or a note (a nemesis action, a
 * phase of the scenario). Completions repeat the invocation's process, op and key so that each
 * line can be read alone.
 *
 * @param id             the operation id ({@code 0} for notes)
 * @param type           {@code invoke}, {@code ok}, {@code fail}, {@code indeterminate} or {@code note}
 * @param process        the client (or {@code nemesis}) that acted
 * @param op             the operation, null for notes
 * @param key            the key, null for notes
 * @param value          the value written (invoke of a write) or read (ok of a read); null if none
 * @param detail         the failure reason, or the text of a note
 * @param wallMillis     wall-clock time, milliseconds since the epoch
 * @param monotonicNanos a monotonic clock reading, comparable only within one history
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(long id, String type, String process, Op op, String key, String value, String detail,
                    long wallMillis, long monotonicNanos) {
    public static final String INVOKE = "invoke";
    public static final String OK = "ok";
    public static final String FAIL = "fail";
    public static final String INDETERMINATE = "indeterminate";
    public static final String NOTE = "note";
}
