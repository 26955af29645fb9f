package io.kvorum.node.quorum;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsistencyLevelTest {

    @ParameterizedTest
    @CsvSource({"ONE,3,1", "one,3,1", "TWO,3,2", "THREE,3,3", "QUORUM,3,2", "QUORUM,5,3", "QUORUM,1,1",
            "QUORUM,4,3", "ALL,3,3", "ALL,5,5", "2,3,2", "3,3,3"})
    void resolvesAgainstReplicationFactor(String level, int n, int required) {
        assertEquals(required, ConsistencyLevel.parse(level).required(n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "MOST", "0", "-1", "2.5", "99999999999", "EXPLICIT"})
    void rejectsNonsense(String level) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConsistencyLevel.parse(level));
        assertTrue(!e.getMessage().isBlank());
    }

    @ParameterizedTest
    @CsvSource({"THREE,2", "4,3", "ANY,3", "SERIAL,3"})
    void rejectsLevelsTheBucketCannotMeet(String level, int n) {
        assertThrows(IllegalArgumentException.class, () -> ConsistencyLevel.parse(level).required(n));
    }
}
