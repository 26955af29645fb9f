package io.kvorum.bench;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one run: its settings, the measured phase per operation and in total, and the
 * load phase when there was one ({@code load} is null otherwise, {@code total} when there was no
 * measured phase). This is what {@code --json} writes.
 */
public record BenchResult(
        BenchConfig config,
        String startedAt,
        double seconds,
        List<OpSummary> operations,
        OpSummary total,
        Map<String, Long> errorsByStatus,
        OpSummary load) {

    public BenchResult {
        operations = List.copyOf(operations);
        errorsByStatus = Map.copyOf(errorsByStatus);
    }

    public double throughput() {
        return total == null ? 0 : total.throughput();
    }

    public long errors() {
        return errorsByStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
