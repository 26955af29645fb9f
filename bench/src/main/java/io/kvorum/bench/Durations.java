package io.kvorum.bench;

import java.util.Locale;

/** Parses the durations of the command line: {@code 30}, {@code 30s}, {@code 500ms}, {@code 2m}. */
final class Durations {
    private Durations() {
    }

    static double parseSeconds(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        double factor = 1;
        if (s.endsWith("ms")) {
            factor = 0.001;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factor = 60;
            s = s.substring(0, s.length() - 1);
        }
        double value;
        try {
            value = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 30, 30s, 500ms, 2m)");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("duration must be zero or positive, got '" + text + "'");
        }
        return value * factor;
    }
}
