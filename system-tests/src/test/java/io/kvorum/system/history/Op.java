package io.kvorum.system.history;

/** What a client asked the cluster to do. */
public enum Op {
    READ,
    WRITE,
    DELETE
}
