package io.kvorum.storage;

/**
 * A causal write would leave more siblings on the key than the bucket allows. Nothing was
 * written; the client should read the key and write back a resolved value with its context.
 */
public final class SiblingLimitException extends RuntimeException {
    private final int limit;
    private final int siblings;

    public SiblingLimitException(int limit, int siblings) {
        super("the write would leave " + siblings + " siblings on the key, more than the limit of " + limit
                + "; read the key and write a resolved value with the X-Kvorum-Context you read");
        this.limit = limit;
        this.siblings = siblings;
    }

    public int limit() {
        return limit;
    }

    public int siblings() {
        return siblings;
    }
}
