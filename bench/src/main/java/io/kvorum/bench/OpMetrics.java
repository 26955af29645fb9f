package io.kvorum.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The measurements of one phase. Drivers on any thread record into HdrHistogram {@link Recorder}s
 * (wait-free); one reader (the progress timer, then the summary) drains them into cumulative
 * histograms with {@link #drain()}.
 */
final class OpMetrics {
    private final Map<Operation, Recorder> recorders = new EnumMap<>(Operation.class);
    private final Map<Operation, Histogram> cumulative = new EnumMap<>(Operation.class);
    private final Map<Operation, Map<String, LongAdder>> errors = new EnumMap<>(Operation.class);
    private final LongAdder completed = new LongAdder();
    private final LongAdder measuredErrors = new LongAdder();

    OpMetrics() {
        for (Operation op : Operation.values()) {
            recorders.put(op, new Recorder(1, Summaries.HIGHEST_MICROS, 3));
            cumulative.put(op, Summaries.newHistogram());
            errors.put(op, new ConcurrentHashMap<>());
        }
    }

    void success(Operation op, long micros) {
        recorders.get(op).recordValue(Math.max(1, Math.min(micros, Summaries.HIGHEST_MICROS)));
        completed.increment();
    }

    void failure(Operation op, String status) {
        errors.get(op).computeIfAbsent(status, s -> new LongAdder()).increment();
        measuredErrors.increment();
        completed.increment();
    }

    /** An operation that finished during the warm-up: counted for the progress rate only. */
    void unmeasured() {
        completed.increment();
    }

    /** Every operation finished so far, warm-up included. */
    long completed() {
        return completed.sum();
    }

    long errorCount() {
        return measuredErrors.sum();
    }

    /** Moves what was recorded since the last call into the cumulative histograms. */
    synchronized void drain() {
        for (Operation op : Operation.values()) {
            cumulative.get(op).add(recorders.get(op).getIntervalHistogram());
        }
    }

    /** A copy of the cumulative histogram of one operation (call {@link #drain()} first). */
    synchronized Histogram histogram(Operation op) {
        return cumulative.get(op).copy();
    }

    /** All operations merged (call {@link #drain()} first). */
    synchronized Histogram merged() {
        Histogram all = Summaries.newHistogram();
        cumulative.values().forEach(all::add);
        return all;
    }

    Map<String, Long> errors(Operation op) {
        Map<String, Long> out = new TreeMap<>();
        errors.get(op).forEach((status, n) -> out.put(status, n.sum()));
        return out;
    }
}
