package io.kvorum.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultJsonTest {

    @Test
    void resultSurvivesAJsonRoundTrip() {
        ResultJson json = new ResultJson();
        BenchResult result = Fixtures.result(1234.5, Map.of("504", 2L));
        String text = json.write(result);
        assertEquals(result, json.read(text));
        assertTrue(text.contains("\"p999Ms\""), text);
        assertTrue(text.contains("\"read 504\" : 2"), text);
    }
}
