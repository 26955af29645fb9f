package io.kvorum.node.coord;

/** What a read's quorum did, as the X-Kvorum-Quorum header tells it. */
public record ReadReceipt(int required, int replied, int repaired) {
    public String toHeader() {
        return "required=" + required + "; replied=" + replied + "; repaired=" + repaired;
    }
}
