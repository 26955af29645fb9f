package io.kvorum.node.bucket;

/** Whether a read waits for the repair of stale replicas before answering. */
public enum ReadRepairMode {
    ASYNC, BLOCKING
}
