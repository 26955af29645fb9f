package io.kvorum.system.nemesis;

import java.security.SecureRandom;

/** The seed of a scenario: {@code -Dkvorum.seed=N} to replay, else a fresh random one. */
final class Seeds {
    static final String PROPERTY = "kvorum.seed";

    private Seeds() {
    }

    /** Pure: the given property value if set, else {@code fresh}. */
    static long resolve(String property, long fresh) {
        if (property == null || property.isBlank()) {
            return fresh;
        }
        try {
            return Long.parseLong(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a long, not '" + property + "'", e);
        }
    }

    static long current() {
        return resolve(System.getProperty(PROPERTY), new SecureRandom().nextLong());
    }
}
