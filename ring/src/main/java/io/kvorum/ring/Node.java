package io.kvorum.ring;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A cluster member: a stable id and the address its HTTP API listens on.
 *
 * @param id   stable node id, {@code [A-Za-z0-9._-]{1,64}}
 * @param host host name or IP address (IPv6 in brackets, e.g. {@code [::1]})
 * @param port TCP port, 1..65535
 */
public record Node(String id, String host, int port) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Node {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("node id must match [A-Za-z0-9._-]{1,64}: '" + id + "'");
        }
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '@' || c == '/')) {
            throw new IllegalArgumentException("invalid host for node " + id + ": '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535 for node " + id + ": " + port);
        }
    }

    /**
     * Parses {@code id@host:port}, e.g. {@code n1@127.0.0.1:8081} or {@code n1@[::1]:8081}.
     *
     * @throws IllegalArgumentException if the spec is malformed
     */
    public static Node parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("node spec is null; expected id@host:port");
        }
        String s = spec.trim();
        int at = s.indexOf('@');
        int colon = s.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == s.length() - 1) {
            throw new IllegalArgumentException("invalid node spec '" + spec + "'; expected id@host:port");
        }
        String host = s.substring(at + 1, colon);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("invalid node spec '" + spec + "'; put IPv6 hosts in brackets");
        }
        String portText = s.substring(colon + 1);
        if (!portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
            throw new IllegalArgumentException("invalid port in node spec '" + spec + "': '" + portText + "'");
        }
        try {
            return new Node(s.substring(0, at), host, Integer.parseInt(portText));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid node spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** The base URL of the node's HTTP API, {@code http://host:port}. */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }

    /** The {@code id@host:port} form accepted by {@link #parse(String)}. */
    public String spec() {
        return id + "@" + host + ":" + port;
    }
}
