package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureDetectorConfigTest {

    @Test
    void defaultsAreCassandras() {
        FailureDetectorConfig c = FailureDetectorConfig.defaults();
        assertEquals(8.0, c.threshold());
        assertEquals(1000, c.windowSize());
        assertEquals(1000, c.expectedIntervalMillis());
        assertEquals(2000, c.maxIntervalMillis());
    }

    @Test
    void withDerivationsChangeOneSetting() {
        FailureDetectorConfig c = FailureDetectorConfig.defaults();
        assertEquals(new FailureDetectorConfig(5, 1000, 1000, 2000), c.withThreshold(5));
        assertEquals(new FailureDetectorConfig(8, 10, 1000, 2000), c.withWindowSize(10));
        assertEquals(new FailureDetectorConfig(8, 1000, 500, 2000), c.withExpectedIntervalMillis(500));
        assertEquals(new FailureDetectorConfig(8, 1000, 1000, 9000), c.withMaxIntervalMillis(9000));
    }

    @ParameterizedTest
    @CsvSource({
            "0,        1000,    1000, 2000",
            "-1,       1000,    1000, 2000",
            "NaN,      1000,    1000, 2000",
            "Infinity, 1000,    1000, 2000",
            "8,        0,       1000, 2000",
            "8,        1000001, 1000, 2000",
            "8,        1000,    0,    2000",
            "8,        1000,    1000, 999",
            "8,        1000,    1000, 86400001",
    })
    void rejectsInvalidSettings(double threshold, int windowSize, long expected, long max) {
        assertThrows(IllegalArgumentException.class, () -> new FailureDetectorConfig(threshold, windowSize, expected, max));
    }

    @Test
    void acceptsTheEdgesOfTheRanges() {
        new FailureDetectorConfig(0.001, 1, 1, 1);
        new FailureDetectorConfig(1e6, FailureDetectorConfig.WINDOW_SIZE_LIMIT, 1, FailureDetectorConfig.INTERVAL_LIMIT_MILLIS);
    }
}
