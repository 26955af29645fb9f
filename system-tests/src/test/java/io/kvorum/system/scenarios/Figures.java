package io.kvorum.system.scenarios;

import io.kvorum.system.history.UniqueKeyReport;
import io.kvorum.system.nemesis.ScenarioContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one summary line a scenario prints, in a fixed format that can be copied into a note:
 * {@code [scenario a] acked=1000 lost=0 unexpected=0 indeterminate=0 hintsDrainedMs=1234 durationMs=45678 seed=42}.
 * Figures appear in the order they were added; {@code durationMs} (since the scenario began) and
 * {@code seed} come last.
 */
final class Figures {
    private final String scenario;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Figures(String scenario) {
        this.scenario = scenario;
    }

    static Figures of(String scenario) {
        return new Figures(scenario);
    }

    Figures put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** The unique-key checker's figures: invoked, acked, lost, unexpected, failedButPresent, indeterminate (recovered, absent), failed. */
    Figures report(UniqueKeyReport r) {
        return put("invoked", r.invoked()).put("acked", r.acked().size()).put("lost", r.lost().size())
                .put("unexpected", r.unexpected().size()).put("failedButPresent", r.failedButPresent().size())
                .put("indeterminate", r.indeterminate()).put("recovered", r.recovered().size())
                .put("indeterminateAbsent", r.indeterminateAbsent().size()).put("failed", r.failed().size());
    }

    /** Prints the line (and notes it in the history) and answers it. */
    String print(ScenarioContext ctx) {
        long durationMs = ctx.deadline().budget().minus(ctx.deadline().remaining()).toMillis();
        String line = "[scenario " + scenario + "] " + values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))
                + " durationMs=" + durationMs + " seed=" + ctx.seed();
        System.out.println(line);
        ctx.history().note("scenario", line);
        return line;
    }
}
