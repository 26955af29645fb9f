package io.kvorum.bench;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/** Turns a latency histogram (microseconds) and error counts into an {@link OpSummary}. */
final class Summaries {
    /** Latencies are recorded in microseconds, from 1 us to 1 hour, 3 significant digits. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    private Summaries() {
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }

    static OpSummary summarize(String operation, Histogram micros, Map<String, Long> errors, double seconds) {
        long count = micros.getTotalCount();
        double rate = seconds > 0 ? count / seconds : 0;
        if (count == 0) {
            return new OpSummary(operation, 0, rate, 0, 0, 0, 0, 0, 0, new TreeMap<>(errors));
        }
        return new OpSummary(operation, count, rate, micros.getMean() / 1000.0,
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(95)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()), new TreeMap<>(errors));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
