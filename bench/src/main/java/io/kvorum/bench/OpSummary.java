package io.kvorum.bench;

import java.util.Map;

/**
 * The measured figures of one operation type (or of all, {@code operation = "all"}): successful
 * operations, their rate, latency percentiles in milliseconds, and failures by status
 * ({@code "404"}, {@code "503"}, ..., {@code "timeout"}, {@code "io"}).
 */
public record OpSummary(
        String operation,
        long count,
        double throughput,
        double meanMs,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        Map<String, Long> errors) {

    public OpSummary {
        errors = Map.copyOf(errors);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
