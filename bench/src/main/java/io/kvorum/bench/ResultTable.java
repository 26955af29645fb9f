package io.kvorum.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The final table of a run, as text. */
public final class ResultTable {
    private static final String HEADER = String.format(Locale.ROOT, "%-9s %10s %10s %9s %9s %9s %9s %9s %8s",
            "operation", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "errors");

    private ResultTable() {
    }

    public static String format(BenchResult result) {
        BenchConfig c = result.config();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "workload %s (%.0f%% reads), %s keys over %d records of %d B, %d in flight"
                        + " on %d thread(s), %d node(s), read %s / write %s, %s bucket%s%n",
                c.workload().name(), c.workload().readProportion() * 100, c.distribution().name().toLowerCase(Locale.ROOT),
                c.records(), c.valueSize(), c.concurrency(), c.threads(), c.nodes().size(),
                orDefault(c.readConsistency()), orDefault(c.writeConsistency()), c.conflict().label(),
                c.targetRate() > 0 ? String.format(Locale.ROOT, ", target %.0f ops/s (latency from intended start)",
                        c.targetRate()) : ""));
        List<OpSummary> rows = new ArrayList<>();
        if (result.load() != null) {
            out.append(String.format(Locale.ROOT, "load: %d records in %.1f s%n", result.load().count(),
                    result.load().throughput() > 0 ? result.load().count() / result.load().throughput() : 0.0));
            rows.add(result.load());
        }
        if (result.total() != null) {
            out.append(String.format(Locale.ROOT, "measured: %.1f s after %.1f s warm-up%n", result.seconds(),
                    c.warmupSeconds()));
            rows.addAll(result.operations());
            rows.add(result.total());
        }
        out.append(HEADER).append('\n');
        for (OpSummary row : rows) {
            out.append(row(row)).append('\n');
        }
        out.append("errors by status: ").append(errors(result)).append('\n');
        return out.toString();
    }

    static String row(OpSummary s) {
        return String.format(Locale.ROOT, "%-9s %10d %10.1f %9.2f %9.2f %9.2f %9.2f %9.2f %8d", s.operation(),
                s.count(), s.throughput(), s.p50Ms(), s.p95Ms(), s.p99Ms(), s.p999Ms(), s.maxMs(), s.errorCount());
    }

    static String errors(BenchResult result) {
        List<OpSummary> all = new ArrayList<>(result.operations());
        if (result.load() != null) {
            all.add(result.load());
        }
        String text = all.stream()
                .flatMap(s -> s.errors().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + " x " + e.getValue() + " (" + s.operation() + ")"))
                .collect(Collectors.joining(", "));
        return text.isEmpty() ? "none" : text;
    }

    private static String orDefault(String level) {
        return level == null ? "bucket default" : level;
    }
}
