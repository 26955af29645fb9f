package io.kvorum.storage;

/**
 * A causal write would leave more bytes of values on the key, over all its siblings, than the
 * node allows. Nothing was written; the client should read the key and write back a resolved
 * value with its context.
 */
public final class RecordSizeLimitException extends RuntimeException {
    private final long limit;
    private final long bytes;
    private final int siblings;

    public RecordSizeLimitException(long limit, long bytes, int siblings) {
        super("the write would leave " + bytes + " bytes of values in " + siblings + " siblings on the key, more than "
                + "the limit of " + limit + "; read the key and write a resolved value with the X-Kvorum-Context you read");
        this.limit = limit;
        this.bytes = bytes;
        this.siblings = siblings;
    }

    public long limit() {
        return limit;
    }

    public long bytes() {
        return bytes;
    }

    public int siblings() {
        return siblings;
    }
}
