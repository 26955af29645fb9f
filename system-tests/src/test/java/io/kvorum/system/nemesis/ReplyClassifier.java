package io.kvorum.system.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.system.history.Outcome;

import java.io.IOException;

/**
 * Turns what a client saw into an {@link Outcome}. Pure.
 *
 * <p>Writes: 2xx and 300 are OK. A 503 whose problem body says {@code "applied":"none"} (the
 * coordinator saw too few replicas up and sent nothing) and any 4xx are certain failures. Any
 * other 503 ({@code partial}/{@code unknown}), a 504, any other 5xx, and a call that lost its
 * connection or timed out after sending are indeterminate; a call that never connected failed.
 *
 * <p>Reads: 200, 300 and 404 are OK; anything else failed (a read changes nothing, so a failed
 * read needs no "maybe").
 */
public final class ReplyClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplyClassifier() {
    }

    public static Outcome write(int status, byte[] body) {
        if (status / 100 == 2 || status == 300) {
            return Outcome.OK;
        }
        if (status / 100 == 4) {
            return Outcome.FAIL;
        }
        if (status == 503 && "none".equals(applied(body))) {
            return Outcome.FAIL;
        }
        return Outcome.INDETERMINATE;
    }

    public static Outcome write(HttpCallException e) {
        return e.requestSent() ? Outcome.INDETERMINATE : Outcome.FAIL;
    }

    public static Outcome read(int status) {
        return status == 200 || status == 300 || status == 404 ? Outcome.OK : Outcome.FAIL;
    }

    private static String applied(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? null : n.path("applied").asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
