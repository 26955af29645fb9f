package io.kvorum.bench;

import java.util.List;

/**
 * Everything a run needs, validated here. Exactly one of {@code durationSeconds} and
 * {@code operations} bounds the measured phase; zero of either means "load only". A
 * {@code targetRate} of 0 runs unthrottled (closed loop). A blank consistency leaves the level to
 * the bucket's default.
 */
public record BenchConfig(
        List<Endpoint> nodes,
        String bucket,
        Conflict conflict,
        Workload workload,
        Distribution distribution,
        long records,
        int valueSize,
        int concurrency,
        int threads,
        Double durationSeconds,
        Long operations,
        double warmupSeconds,
        String readConsistency,
        String writeConsistency,
        double targetRate,
        boolean load,
        long seed,
        int timeoutMillis) {

    public BenchConfig {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("give at least one node (--nodes host:port,...)");
        }
        if (bucket == null || !bucket.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("bucket must match [A-Za-z0-9._-]{1,64}, got '" + bucket + "'");
        }
        require(conflict != null && workload != null && distribution != null, "conflict, workload, distribution");
        require(records >= 1, "records must be at least 1, got " + records);
        require(valueSize >= 0 && valueSize <= (1 << 20), "value size must be 0..1048576 bytes, got " + valueSize);
        require(concurrency >= 1, "concurrency must be at least 1, got " + concurrency);
        require(threads >= 1, "threads must be at least 1, got " + threads);
        require((durationSeconds == null) != (operations == null), "give either a duration or an operation count");
        require(durationSeconds == null || durationSeconds >= 0, "duration must not be negative");
        require(operations == null || operations >= 0, "operations must not be negative");
        require(warmupSeconds >= 0, "warm-up must not be negative, got " + warmupSeconds);
        require(targetRate >= 0, "rate must not be negative, got " + targetRate);
        require(timeoutMillis >= 1, "timeout must be at least 1 ms, got " + timeoutMillis);
        readConsistency = blankToNull(readConsistency);
        writeConsistency = blankToNull(writeConsistency);
        threads = Math.min(threads, concurrency);
    }

    /** Defaults for one local node: workload A, uniform keys, 1000 records of 1 KiB, 64 in flight, 30 s. */
    public static BenchConfig defaults() {
        return new BenchConfig(List.of(new Endpoint("127.0.0.1", 8081)), "bench", Conflict.LWW, Workload.named("A"),
                Distribution.UNIFORM, 1000, 1024, 64, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                30.0, null, 5, "QUORUM", "QUORUM", 0, false, 42, 10_000);
    }

    /** Whether there is a measured phase after the (optional) load. */
    public boolean hasRunPhase() {
        return durationSeconds != null ? durationSeconds > 0 : operations > 0;
    }

    public BenchConfig withNodes(List<Endpoint> value) {
        return new BenchConfig(value, bucket, conflict, workload, distribution, records, valueSize, concurrency,
                threads, durationSeconds, operations, warmupSeconds, readConsistency, writeConsistency, targetRate,
                load, seed, timeoutMillis);
    }

    public BenchConfig withRun(Double duration, Long ops, double warmup) {
        return new BenchConfig(nodes, bucket, conflict, workload, distribution, records, valueSize, concurrency,
                threads, duration, ops, warmup, readConsistency, writeConsistency, targetRate, load, seed,
                timeoutMillis);
    }

    public BenchConfig withData(long recordCount, int size, boolean loadFirst) {
        return new BenchConfig(nodes, bucket, conflict, workload, distribution, recordCount, size, concurrency,
                threads, durationSeconds, operations, warmupSeconds, readConsistency, writeConsistency, targetRate,
                loadFirst, seed, timeoutMillis);
    }

    public BenchConfig withConcurrency(int inFlight, int threadCount) {
        return new BenchConfig(nodes, bucket, conflict, workload, distribution, records, valueSize, inFlight,
                threadCount, durationSeconds, operations, warmupSeconds, readConsistency, writeConsistency,
                targetRate, load, seed, timeoutMillis);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
