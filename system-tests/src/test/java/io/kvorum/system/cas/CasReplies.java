package io.kvorum.system.cas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.system.nemesis.HttpCallException;

import java.io.IOException;

/**
 * What a client may conclude from the answer to a compare-and-set, a {@code SERIAL} write or a
 * {@code SERIAL} read (docs/api.md "Conditional requests and SERIAL", docs/paxos.md "Failures").
 * Pure.
 *
 * <ul>
 *   <li>2xx: applied (a read: the value); 404 on a read: absent; 412 on a conditional write: the
 *       condition was false, nothing written.</li>
 *   <li>503 with {@code "applied":"none"}: certainly not applied (the coordinator saw too few
 *       replicas up, or none of its proposals can ever be chosen).</li>
 *   <li>Any other 503 ({@code unknown}, {@code chosen}), every 504, and a call that lost its
 *       connection or timed out after sending: may have been applied. The documented guarantee
 *       for a 504 is only "may have taken effect", so even a 504 saying {@code none} is taken as
 *       indeterminate.</li>
 *   <li>A call that never connected: not sent, so not applied.</li>
 *   <li>Anything else (400, 409, 500, a 412 on an unconditional write, a 404 on a write): a bug
 *       in Kvorum or in the test.</li>
 * </ul>
 */
public final class CasReplies {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the client knows. */
    public enum Known {
        OK,
        ABSENT,
        PRECONDITION_FAILED,
        NOT_APPLIED,
        MAYBE_APPLIED,
        BUG
    }

    private CasReplies() {
    }

    /** A conditional write ({@code conditional}) or an unconditional {@code SERIAL} write. */
    public static Known write(int status, byte[] body, boolean conditional) {
        if (status == 200 || status == 204) {
            return Known.OK;
        }
        if (status == 412) {
            return conditional ? Known.PRECONDITION_FAILED : Known.BUG;
        }
        return failure(status, body);
    }

    /** A {@code GET ?consistency=SERIAL}; a 300 (siblings) is answered OK: the caller decides what it observed. */
    public static Known read(int status, byte[] body) {
        if (status == 200 || status == 300) {
            return Known.OK;
        }
        if (status == 404) {
            return Known.ABSENT;
        }
        return failure(status, body);
    }

    /** A call that got no complete answer. */
    public static Known noAnswer(HttpCallException e) {
        return e.requestSent() ? Known.MAYBE_APPLIED : Known.NOT_APPLIED;
    }

    private static Known failure(int status, byte[] body) {
        if (status == 503) {
            return "none".equals(applied(body)) ? Known.NOT_APPLIED : Known.MAYBE_APPLIED;
        }
        if (status == 504) {
            return Known.MAYBE_APPLIED;
        }
        return Known.BUG;
    }

    /** The problem body's {@code applied} member, or null. */
    static String applied(byte[] body) {
        return member(body, "applied");
    }

    /** A string member of a JSON body; null when absent, null or not JSON. */
    static String member(byte[] body, String name) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.has(name) || n.get(name).isNull()) {
                return null;
            }
            return n.get(name).asText();
        } catch (IOException e) {
            return null;
        }
    }
}
