package io.kvorum.system.nemesis;

import io.kvorum.system.history.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplyClassifierTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "204 | ''                                          | OK",
            "200 | value                                       | OK",
            "300 | '{\"siblings\":[]}'                         | OK",
            "400 | '{\"title\":\"Bad Request\"}'               | FAIL",
            "413 | ''                                          | FAIL",
            "503 | '{\"status\":503,\"applied\":\"none\"}'     | FAIL",
            "503 | '{\"status\":503,\"applied\":\"partial\"}'  | INDETERMINATE",
            "503 | '{\"status\":503,\"applied\":\"unknown\"}'  | INDETERMINATE",
            "503 | '{\"status\":503}'                          | INDETERMINATE",
            "503 | not json                                    | INDETERMINATE",
            "504 | '{\"status\":504,\"applied\":\"none\"}'     | INDETERMINATE",
            "500 | ''                                          | INDETERMINATE",
    })
    void classifiesWriteReplies(int status, String body, Outcome expected) {
        assertEquals(expected, ReplyClassifier.write(status, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWriteThatNeverConnectedFailedAndOneThatWasSentIsIndeterminate() {
        assertEquals(Outcome.FAIL, ReplyClassifier.write(new HttpCallException("refused", false, null)));
        assertEquals(Outcome.INDETERMINATE, ReplyClassifier.write(new HttpCallException("timeout", true, null)));
    }

    @ParameterizedTest
    @CsvSource({"200, OK", "300, OK", "404, OK", "503, FAIL", "504, FAIL", "400, FAIL"})
    void classifiesReadReplies(int status, Outcome expected) {
        assertEquals(expected, ReplyClassifier.read(status));
    }
}
