package io.kvorum.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"30, 30", "30s, 30", "500ms, 0.5", "2m, 120", "1.5S, 1.5", "0, 0"})
    void parsesSecondsMillisecondsAndMinutes(String text, double seconds) {
        assertEquals(seconds, Durations.parseSeconds(text), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-1s", "", "1h"})
    void rejectsWhatIsNotADuration(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSeconds(text));
    }
}
