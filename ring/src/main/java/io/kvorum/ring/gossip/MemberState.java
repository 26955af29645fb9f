package io.kvorum.ring.gossip;

import io.kvorum.ring.Node;
import java.util.Objects;

/**
 * What gossip says about one member: its address, the generation of its current process (grows
 * on every restart) and a heartbeat counter that the member itself increments. The pair
 * {@code (generation, heartbeat)}, compared generation first, is the entry's version: a higher
 * version always replaces a lower one, so a restarted process (generation + 1, heartbeat 0)
 * beats everything its previous incarnation said.
 *
 * @param node            the member's id and address
 * @param generation      incarnation number, &ge; 0
 * @param heartbeat       heartbeat counter within the generation, &ge; 0
 * @param updatedAtMillis local time at which this node last saw the version advance; local
 *                        knowledge, not part of the version and not compared
 */
public record MemberState(Node node, long generation, long heartbeat, long updatedAtMillis) {

    public MemberState {
        Objects.requireNonNull(node, "node");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be >= 0 for member " + node.id() + ": " + generation);
        }
        if (heartbeat < 0) {
            throw new IllegalArgumentException("heartbeat must be >= 0 for member " + node.id() + ": " + heartbeat);
        }
    }

    /** The member's id. */
    public String id() {
        return node.id();
    }

    /** Compares versions: generation first, then heartbeat. */
    public int compareVersion(MemberState other) {
        int byGeneration = Long.compare(generation, other.generation);
        return byGeneration != 0 ? byGeneration : Long.compare(heartbeat, other.heartbeat);
    }

    /** Whether this version is strictly higher than {@code other}'s. */
    public boolean isNewerThan(MemberState other) {
        return compareVersion(other) > 0;
    }

    /** The entry after one more heartbeat, seen at {@code nowMillis}. */
    public MemberState beat(long nowMillis) {
        return new MemberState(node, generation, Math.addExact(heartbeat, 1), nowMillis);
    }

    public MemberState withVersion(long generation, long heartbeat, long nowMillis) {
        return new MemberState(node, generation, heartbeat, nowMillis);
    }

    public MemberState withUpdatedAtMillis(long updatedAtMillis) {
        return new MemberState(node, generation, heartbeat, updatedAtMillis);
    }
}
