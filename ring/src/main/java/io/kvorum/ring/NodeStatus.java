package io.kvorum.ring;

/** Local, possibly wrong, opinion of whether a node is reachable. */
public enum NodeStatus {
    UP,
    DOWN
}
