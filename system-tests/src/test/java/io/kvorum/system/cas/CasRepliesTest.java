package io.kvorum.system.cas;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.kvorum.system.cas.CasReplies.Known.ABSENT;
import static io.kvorum.system.cas.CasReplies.Known.BUG;
import static io.kvorum.system.cas.CasReplies.Known.MAYBE_APPLIED;
import static io.kvorum.system.cas.CasReplies.Known.NOT_APPLIED;
import static io.kvorum.system.cas.CasReplies.Known.OK;
import static io.kvorum.system.cas.CasReplies.Known.PRECONDITION_FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What a client may conclude from each kind of answer. */
class CasRepliesTest {
    private static byte[] applied(String v) {
        return ("{\"status\":503,\"applied\":\"" + v + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesAreKnownOnlyFromSuccessesRefusalsAndNothingSent() {
        assertEquals(OK, CasReplies.write(204, new byte[0], true));
        assertEquals(OK, CasReplies.write(200, new byte[0], false));
        assertEquals(PRECONDITION_FAILED, CasReplies.write(412, applied("none"), true));
        assertEquals(BUG, CasReplies.write(412, applied("none"), false), "an unconditional write has no condition");
        assertEquals(NOT_APPLIED, CasReplies.write(503, applied("none"), true));
        assertEquals(MAYBE_APPLIED, CasReplies.write(503, applied("unknown"), true));
        assertEquals(MAYBE_APPLIED, CasReplies.write(503, applied("chosen"), true));
        assertEquals(MAYBE_APPLIED, CasReplies.write(503, "not json".getBytes(StandardCharsets.UTF_8), true));
        assertEquals(MAYBE_APPLIED, CasReplies.write(504, applied("none"), true), "a 504 may have taken effect");
        assertEquals(BUG, CasReplies.write(400, new byte[0], true));
        assertEquals(BUG, CasReplies.write(500, new byte[0], true));
        assertEquals(BUG, CasReplies.write(409, new byte[0], true));
    }

    @Test
    void readsAreValuesAbsenceOrNothing() {
        assertEquals(OK, CasReplies.read(200, new byte[0]));
        assertEquals(OK, CasReplies.read(300, new byte[0]));
        assertEquals(ABSENT, CasReplies.read(404, new byte[0]));
        assertEquals(NOT_APPLIED, CasReplies.read(503, applied("none")));
        assertEquals(MAYBE_APPLIED, CasReplies.read(504, applied("unknown")));
        assertEquals(BUG, CasReplies.read(500, new byte[0]));
        assertNull(CasReplies.member("{\"currentEtag\":null}".getBytes(StandardCharsets.UTF_8), "currentEtag"));
        assertEquals("abc", CasReplies.member("{\"currentEtag\":\"abc\"}".getBytes(StandardCharsets.UTF_8), "currentEtag"));
    }
}
