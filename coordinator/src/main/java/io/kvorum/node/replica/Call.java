package io.kvorum.node.replica;

/** Per-call settings of an internal call: its deadline and the client request it serves. */
public record Call(long timeoutMillis, String requestId) {
    public static Call of(long timeoutMillis) {
        return new Call(timeoutMillis, null);
    }
}
