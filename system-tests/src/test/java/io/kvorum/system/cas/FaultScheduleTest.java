package io.kvorum.system.cas;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seeded plan of faults. */
class FaultScheduleTest {
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
