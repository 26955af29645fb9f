package io.kvorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeTest {

    @ParameterizedTest
    @CsvSource({
            "n1@127.0.0.1:8081,    n1,          127.0.0.1,   8081",
            "node-2@localhost:1,   node-2,      localhost,   1",
            "A.b_c-9@db.example:65535, A.b_c-9, db.example,  65535",
            "'  n3@host:80  ',     n3,          host,        80",
            "v6@[::1]:9000,        v6,          [::1],       9000",
    })
    void parseAcceptsWellFormedSpecs(String spec, String id, String host, int port) {
        assertEquals(new Node(id, host, port), Node.parse(spec));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "n1", "n1@host", "n1@host:", "@host:80", "n1@:80", "n1host:80",
            "n1@host:0", "n1@host:65536", "n1@host:-1", "n1@host:+80", "n1@host:http", "n1@host:99999999999",
            "bad id@host:80", "n/1@host:80", "n1@a@b:80", "n1@ho st:80", "n1@::1:80",
            "0123456789012345678901234567890123456789012345678901234567890123456789@h:1",
    })
    void parseRejectsMalformedSpecs(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Node.parse(spec));
        assertTrue(e.getMessage().contains("node spec"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"'', h, 80", "a b, h, 80", "ok, ' ', 80", "ok, h, 0", "ok, h, 70000"})
    void constructorValidatesIdHostAndPort(String id, String host, int port) {
        assertThrows(IllegalArgumentException.class, () -> new Node(id, host, port));
    }

    @Test
    void idMayHaveSixtyFourCharacters() {
        String id = "x".repeat(64);
        assertEquals(id, new Node(id, "h", 1).id());
        assertThrows(IllegalArgumentException.class, () -> new Node(id + "x", "h", 1));
    }

    @Test
    void baseUrlAndSpecRoundTrip() {
        Node node = new Node("n1", "10.0.0.7", 8081);
        assertEquals("http://10.0.0.7:8081", node.baseUrl());
        assertEquals("n1@10.0.0.7:8081", node.spec());
        assertEquals(node, Node.parse(node.spec()));
    }
}
