package io.kvorum.bench;

import java.util.List;
import java.util.Locale;

/**
 * One line per run beside the ceiling of the same workload: throughput, p50, p99, errors and
 * throughput as a share of the ceiling's.
 */
public final class ComparisonTable {
    /** A labelled run and the ceiling run it is compared with (null when there is none). */
    public record Row(String label, BenchResult result, BenchResult ceiling) {
    }

    private ComparisonTable() {
    }

    public static String format(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "| %-22s | %9s | %7s | %7s | %6s | %13s | %12s | %7s |%n", "workload",
                "ops/s", "p50 ms", "p99 ms", "errors", "ceiling ops/s", "ceiling p99", "ratio"));
        out.append("|------------------------|-----------|---------|---------|--------|---------------|--------------|---------|\n");
        for (Row row : rows) {
            BenchResult r = row.result();
            OpSummary t = r.total();
            BenchResult c = row.ceiling();
            String ceilingRate = c == null ? "-" : String.format(Locale.ROOT, "%.0f", c.throughput());
            String ceilingP99 = c == null || c.total() == null ? "-" : String.format(Locale.ROOT, "%.2f", c.total().p99Ms());
            out.append(String.format(Locale.ROOT, "| %-22s | %9.0f | %7.2f | %7.2f | %6d | %13s | %12s | %7s |%n",
                    row.label(), r.throughput(), t == null ? 0.0 : t.p50Ms(), t == null ? 0.0 : t.p99Ms(), r.errors(),
                    ceilingRate, ceilingP99, ratio(r, c)));
        }
        return out.toString();
    }

    static String ratio(BenchResult result, BenchResult ceiling) {
        if (ceiling == null || ceiling.throughput() <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * result.throughput() / ceiling.throughput());
    }
}
