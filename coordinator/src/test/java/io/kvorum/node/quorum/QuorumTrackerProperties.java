package io.kvorum.node.quorum;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tracker agrees with a naive reference on random sequences of acks and failures. */
class QuorumTrackerProperties {

    record Event(int replica, boolean ok) {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.of(true, false))
                .as(Event::new).list().ofMaxSize(20);
    }

    @Property(tries = 2000)
    void agreesWithNaiveReference(@ForAll @IntRange(min = 1, max = 5) int targets,
                                  @ForAll @IntRange(min = 1, max = 5) int required,
                                  @ForAll("events") List<Event> events) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            ids.add("n" + i);
        }
        QuorumTracker tracker = QuorumTracker.of(required, ids);
        Map<String, Boolean> firstAnswer = new HashMap<>();
        for (Event e : events) {
            String id = "n" + e.replica();
            tracker = e.ok() ? tracker.onSuccess(id) : tracker.onFailure(id, "boom");
            if (ids.contains(id)) {
                firstAnswer.putIfAbsent(id, e.ok());
            }
            assertEquals(naive(required, targets, firstAnswer), tracker.outcome(),
                    "after " + e + " with answers " + firstAnswer);
        }
    }

    /** The reference: count first answers; won at required oks; lost when the rest cannot make it. */
    private static QuorumOutcome naive(int required, int targets, Map<String, Boolean> answers) {
        long ok = answers.values().stream().filter(b -> b).count();
        long failed = answers.size() - ok;
        if (ok >= required) {
            return QuorumOutcome.SUCCEEDED;
        }
        if (targets - failed < required) {
            return QuorumOutcome.FAILED;
        }
        return QuorumOutcome.PENDING;
    }
}
