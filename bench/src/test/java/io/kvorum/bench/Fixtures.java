package io.kvorum.bench;

import java.util.List;
import java.util.Map;

/** Results for the formatting tests. */
final class Fixtures {
    private Fixtures() {
    }

    static OpSummary op(String name, long count, double rate, double p99, Map<String, Long> errors) {
        return new OpSummary(name, count, rate, 1.0, 0.8, 2.0, p99, 9.5, 12.25, errors);
    }

    static BenchResult result(double rate, Map<String, Long> readErrors) {
        OpSummary read = op("read", (long) (rate * 5), rate / 2, 3.0, readErrors);
        OpSummary update = op("update", (long) (rate * 5), rate / 2, 4.0, Map.of());
        OpSummary all = op("all", (long) (rate * 10), rate, 3.5, readErrors);
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        readErrors.forEach((s, n) -> byStatus.put("read " + s, n));
        return new BenchResult(BenchConfig.defaults().withRun(10.0, null, 2), "2026-01-01T00:00:00Z", 10.0,
                List.of(read, update), all, byStatus, op("insert", 1000, 500, 20.0, Map.of()));
    }
}
