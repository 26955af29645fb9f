package io.kvorum.node.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks made on every request before routing, for requests the HTTP decoder lets through but that
 * must not be served (RFC 9112):
 * <ul>
 *   <li>an HTTP/1.1 request without a valid {@code Host} header (section 3.2);</li>
 *   <li>a {@code Transfer-Encoding} other than exactly {@code chunked}: the decoder reads no body
 *       for it, so the body's bytes would be taken as the next request on the connection, and the
 *       write acknowledged with an empty value (section 6.3 says 400 and close);</li>
 *   <li>a request target with bytes outside printable ASCII: the decoder reads the request line as
 *       Latin-1, so a raw UTF-8 key would be stored under other bytes than the client sent (RFC 3986
 *       asks clients to percent-encode them).</li>
 * </ul>
 * Each refusal's text is the problem's {@code detail}; the connection is closed after it.
 */
public final class RequestGuard {
    private RequestGuard() {
    }

    /**
     * @param http11        whether the request line said HTTP/1.1 (HTTP/1.0 needs no Host)
     * @param hostHeaders   every {@code Host} header value
     * @param hostValid     whether the server could parse the {@code Host} header as host[:port]
     * @param transferEncodings every {@code Transfer-Encoding} header value
     * @param target        the request target as read from the request line
     * @return why the request is refused, or empty when it may be served
     */
    public static Optional<String> refusal(boolean http11, List<String> hostHeaders, boolean hostValid,
                                           List<String> transferEncodings, String target) {
        if (hostHeaders.size() > 1) {
            return Optional.of("more than one Host header");
        }
        if (http11 && (hostHeaders.isEmpty() || hostHeaders.get(0).isBlank())) {
            return Optional.of("an HTTP/1.1 request needs a Host header");
        }
        if (!hostHeaders.isEmpty() && !hostHeaders.get(0).isBlank() && !hostValid) {
            return Optional.of("the Host header is not a valid host[:port]");
        }
        if (!transferEncodings.isEmpty()
                && !(transferEncodings.size() == 1
                && transferEncodings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked"))) {
            return Optional.of("Transfer-Encoding " + String.join(", ", transferEncodings)
                    + " is not supported: send the body with Content-Length or Transfer-Encoding: chunked");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return Optional.of("the request target holds a byte that is not printable ASCII (0x"
                        + Integer.toHexString(c) + " at " + i + "): percent-encode such bytes (RFC 3986), "
                        + "e.g. a key in UTF-8");
            }
        }
        return Optional.empty();
    }
}
