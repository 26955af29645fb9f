package io.kvorum.bench;

import java.util.Locale;

/** The once-a-second progress line: phase, elapsed time, rate of the last second, p99 so far, errors. */
final class ProgressLine {
    private ProgressLine() {
    }

    static String format(String phase, double elapsedSeconds, double opsPerSecond, double p99MsSoFar, long errors) {
        String p99 = Double.isNaN(p99MsSoFar) ? "      -" : String.format(Locale.ROOT, "%7.2f", p99MsSoFar);
        return String.format(Locale.ROOT, "[%5.0fs] %-6s %9.0f ops/s   p99 so far %s ms   errors %d",
                elapsedSeconds, phase, opsPerSecond, p99, errors);
    }
}
