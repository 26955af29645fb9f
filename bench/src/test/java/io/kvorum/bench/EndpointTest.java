package io.kvorum.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:8081, 127.0.0.1, 8081",
            "http://node-2:18082/, node-2, 18082",
            "' localhost:1 ', localhost, 1",
            "[::1]:8083, ::1, 8083"})
    void parsesHostAndPort(String text, String host, int port) {
        assertEquals(new Endpoint(host, port), Endpoint.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", ":8081", "host:http", "host:0", "host:70000"})
    void rejectsWhatIsNotHostColonPort(String text) {
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text));
    }

    @org.junit.jupiter.api.Test
    void printsIpv6InBrackets() {
        assertEquals("[::1]:8083", new Endpoint("::1", 8083).toString());
    }
}
