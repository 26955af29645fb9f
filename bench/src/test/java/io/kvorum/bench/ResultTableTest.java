package io.kvorum.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest {

    @Test
    void tableHasOneRowPerOperationWithPercentilesInMilliseconds() {
        String table = ResultTable.format(Fixtures.result(1000, Map.of()));
        assertTrue(table.contains("p99.9 ms"), table);
        assertTrue(table.contains(
                "read            5000      500.0      0.80      2.00      3.00      9.50     12.25        0"), table);
        assertTrue(table.contains("all"), table);
        assertTrue(table.contains("load: 1000 records in 2.0 s"), table);
        assertTrue(table.endsWith("errors by status: none\n"), table);
    }

    @Test
    void errorsAreListedByStatusAndOperation() {
        String table = ResultTable.format(Fixtures.result(1000, Map.of("404", 3L, "timeout", 1L)));
        assertTrue(table.contains("errors by status: 404 x 3 (read), timeout x 1 (read)"), table);
    }

    @Test
    void comparisonGivesTheRatioToTheCeiling() {
        String table = ComparisonTable.format(List.of(
                new ComparisonTable.Row("A QUORUM", Fixtures.result(2500, Map.of()), Fixtures.result(10000, Map.of())),
                new ComparisonTable.Row("A ONE", Fixtures.result(2500, Map.of("503", 2L)), null)));
        String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertTrue(lines[2].startsWith("| A QUORUM") && lines[2].contains("25.0%"), lines[2]);
        assertTrue(lines[3].matches("\\| A ONE .*\\|\\s+2 \\|\\s+- \\|\\s+- \\|\\s+- \\|"), lines[3]);
    }
}
