package io.kvorum.node.paxos;

import io.kvorum.storage.KeyRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP preconditions of a conditional write (RFC 9110 §13.1.1 and §13.1.2): {@code If-Match}
 * and {@code If-None-Match}, each either {@code *} or a list of entity tags. A key whose value is
 * absent or deleted has no current representation: {@code If-Match} fails on it and
 * {@code If-None-Match: *} holds. {@code If-Match} uses the strong comparison, so a weak tag
 * ({@code W/"..."}) never matches; {@code If-None-Match} the weak one. When both headers are
 * given, both must hold.
 */
public record Precondition(Optional<Tags> ifMatch, Optional<Tags> ifNoneMatch) {

    /** A header value: {@code *} (any), or a list of tags. */
    public record Tags(boolean any, List<String> strong, List<String> weak) {
        public Tags {
            strong = List.copyOf(strong);
            weak = List.copyOf(weak);
        }
    }

    public Precondition {
        Objects.requireNonNull(ifMatch, "ifMatch");
        Objects.requireNonNull(ifNoneMatch, "ifNoneMatch");
    }

    /**
     * Parses the two headers (null when absent); empty when neither is given. Throws
     * IllegalArgumentException with a message fit for a client on a malformed value.
     */
    public static Optional<Precondition> parse(String ifMatch, String ifNoneMatch) {
        if (ifMatch == null && ifNoneMatch == null) {
            return Optional.empty();
        }
        return Optional.of(new Precondition(Optional.ofNullable(ifMatch).map(v -> tags("If-Match", v)),
                Optional.ofNullable(ifNoneMatch).map(v -> tags("If-None-Match", v))));
    }

    static Tags tags(String header, String value) {
        String v = value.trim();
        if (v.equals("*")) {
            return new Tags(true, List.of(), List.of());
        }
        List<String> strong = new ArrayList<>();
        List<String> weak = new ArrayList<>();
        int i = 0;
        while (i < v.length()) {
            boolean isWeak = v.startsWith("W/", i);
            int open = isWeak ? i + 2 : i;
            if (open >= v.length() || v.charAt(open) != '"') {
                throw malformed(header, value);
            }
            int close = v.indexOf('"', open + 1);
            if (close < 0) {
                throw malformed(header, value);
            }
            String tag = v.substring(open + 1, close);
            for (char c : tag.toCharArray()) {
                if (c < 0x21 || c == 0x7f) {
                    throw malformed(header, value);
                }
            }
            (isWeak ? weak : strong).add(tag);
            i = close + 1;
            while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
                i++;
            }
            if (i < v.length()) {
                if (v.charAt(i) != ',') {
                    throw malformed(header, value);
                }
                i++;
                while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
                    i++;
                }
                if (i >= v.length()) {
                    throw malformed(header, value);
                }
            }
        }
        if (strong.isEmpty() && weak.isEmpty()) {
            throw malformed(header, value);
        }
        return new Tags(false, strong, weak);
    }

    private static IllegalArgumentException malformed(String header, String value) {
        return new IllegalArgumentException("malformed " + header + " header '" + value
                + "': use * or a comma-separated list of quoted entity tags, e.g. " + header
                + ": \"3f2a9c0d1b4e5f60\" (the ETag a GET returned, with its quotes)");
    }

    /** True when the write may proceed on {@code current}. */
    public boolean holds(Optional<KeyRecord> current) {
        Optional<String> etag = current.filter(r -> !r.isDeleted()).map(KeyRecord::etag);
        if (ifMatch.isPresent()) {
            Tags t = ifMatch.get();
            boolean ok = etag.isPresent() && (t.any() || t.strong().contains(etag.get()));
            if (!ok) {
                return false;
            }
        }
        if (ifNoneMatch.isPresent()) {
            Tags t = ifNoneMatch.get();
            boolean matches = etag.isPresent()
                    && (t.any() || t.strong().contains(etag.get()) || t.weak().contains(etag.get()));
            return !matches;
        }
        return true;
    }
}
