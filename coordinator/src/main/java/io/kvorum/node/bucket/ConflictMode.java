package io.kvorum.node.bucket;

/** How a bucket resolves concurrent writes. */
public enum ConflictMode {
    /** Keep every concurrent value as a sibling (Dynamo); the client resolves by writing with the context. */
    SIBLINGS,
    /** Last write wins by hybrid logical clock timestamp; siblings never appear. */
    LWW
}
