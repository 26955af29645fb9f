package io.kvorum.node.coord;

/** What a write's quorum did, as the X-Kvorum-Quorum header tells it. */
public record WriteReceipt(int required, int acked, int fallback, int hinted) {
    public String toHeader() {
        return "required=" + required + "; acked=" + acked + "; fallback=" + fallback + "; hinted=" + hinted;
    }
}
