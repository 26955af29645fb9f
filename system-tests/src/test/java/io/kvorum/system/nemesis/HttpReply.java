package io.kvorum.system.nemesis;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** A complete HTTP response: status, headers (names in lower case) and body. */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {
    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The header's value, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        String t = text();
        return status + (t.isEmpty() ? "" : " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t));
    }
}
