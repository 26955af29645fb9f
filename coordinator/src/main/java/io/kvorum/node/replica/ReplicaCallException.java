package io.kvorum.node.replica;

/** A replica answered, but not with success. */
public final class ReplicaCallException extends RuntimeException {
    private final String replica;

    public ReplicaCallException(String replica, String message) {
        super(replica + ": " + message, null, false, false);
        this.replica = replica;
    }

    public String replica() {
        return replica;
    }
}
