package io.kvorum.system.cas;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static io.kvorum.system.cas.CasReplies.Known.ABSENT;
import static io.kvorum.system.cas.CasReplies.Known.BUG;
import static io.kvorum.system.cas.CasReplies.Known.MAYBE_APPLIED;
import static io.kvorum.system.cas.CasReplies.Known.NOT_APPLIED;
import static io.kvorum.system.cas.CasReplies.Known.OK;
import static io.kvorum.system.cas.CasReplies.Known.PRECONDITION_FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classification of CAS answers, and the fault schedule's plan. */
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

    @Test
    void thePlanHasEveryFaultOnceFirstAndFitsItsBudget() {
        for (long seed = 0; seed < 50; seed++) {
            List<FaultSchedule.Step> plan = FaultSchedule.plan(new Random(seed), 3, 45_000, 5_000);
            assertEquals(FaultSchedule.kinds(plan), FaultSchedule.kinds(plan.subList(0, 3)));
            assertEquals(3, FaultSchedule.kinds(plan).size());
            long total = plan.stream().mapToLong(FaultSchedule.Step::estimateMillis).sum();
            long firstThree = plan.subList(0, 3).stream().mapToLong(FaultSchedule.Step::estimateMillis).sum();
            assertTrue(total <= Math.max(45_000, firstThree), plan.toString());
            plan.stream().filter(s -> s.fault() == FaultSchedule.Fault.PAUSE)
                    .forEach(s -> assertTrue(s.holdMillis() >= 5_000, s.toString()));
            assertEquals(plan, FaultSchedule.plan(new Random(seed), 3, 45_000, 5_000), "a seed replays its plan");
        }
    }
}
