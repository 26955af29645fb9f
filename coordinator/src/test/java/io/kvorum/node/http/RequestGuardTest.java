package io.kvorum.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
    private static Optional<String> check(boolean http11, List<String> host, boolean hostValid, List<String> te,
                                          String target) {
        return RequestGuard.refusal(http11, host, hostValid, te, target);
    }

    @Test
    void anOrdinaryRequestPasses() {
        assertEquals(Optional.empty(), check(true, List.of("127.0.0.1:8081"), true, List.of(), "/kv/b/k%C3%A9?r=2"));
        assertEquals(Optional.empty(), check(true, List.of("h"), true, List.of("chunked"), "/kv/b/k"));
        assertEquals(Optional.empty(), check(true, List.of("h"), true, List.of(" Chunked "), "/kv/b/k"));
        assertEquals(Optional.empty(), check(false, List.of(), false, List.of(), "/health"), "HTTP/1.0 needs no Host");
    }

    @Test
    void hostMustBeThereOnceAndValid() {
        assertTrue(check(true, List.of(), false, List.of(), "/health").orElseThrow().contains("Host"));
        assertTrue(check(true, List.of(""), false, List.of(), "/health").orElseThrow().contains("Host"));
        assertTrue(check(true, List.of("a b"), false, List.of(), "/health").orElseThrow().contains("host[:port]"));
        assertTrue(check(false, List.of("x:abc"), false, List.of(), "/health").isPresent());
        assertTrue(check(true, List.of("a", "b"), true, List.of(), "/health").orElseThrow().contains("more than one"));
    }

    @Test
    void onlyChunkedTransferEncodingIsAccepted() {
        for (List<String> te : List.of(List.of("gzip"), List.of("identity"), List.of("gzip, chunked"),
                List.of("chunked", "chunked"), List.of("chunked, gzip"))) {
            String why = check(true, List.of("h"), true, te, "/kv/b/k").orElseThrow(() -> new AssertionError(te));
            assertTrue(why.contains("Content-Length"), why);
        }
    }

    @Test
    void theTargetMustBePrintableAscii() {
        for (String target : List.of("/kv/utf/\u00c3\u00a9", "/kv/b/a\u0001b", "/kv/b/a\u007fb", "/kv/b/a b")) {
            String why = check(true, List.of("h"), true, List.of(), target).orElseThrow(() -> new AssertionError(target));
            assertTrue(why.contains("percent-encode"), why);
        }
    }
}
