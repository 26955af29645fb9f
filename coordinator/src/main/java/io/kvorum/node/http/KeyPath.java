package io.kvorum.node.http;

import io.kvorum.node.paxos.Leases;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Parses {@code /kv/{bucket}/{key}} from the raw request path. The key is everything after the
 * bucket's slash, percent-decoded to bytes (so a key may hold '/', '?', '%' or any byte when
 * encoded); '+' is a literal plus.
 */
public record KeyPath(String bucket, byte[] key) {
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static void checkBucket(String bucket) {
        if (!BUCKET.matcher(bucket).matches()) {
            throw ApiError.badRequest("bad bucket name '" + bucket
                    + "': use 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        if (bucket.equals(Leases.BUCKET)) {
            throw ApiError.badRequest("the bucket '" + bucket + "' is reserved for the locks API (/locks/{name})");
        }
    }

    /** @param rawPath the undecoded path, starting with {@code /kv/} */
    public static KeyPath parse(String rawPath, int maxKeyBytes) {
        String rest = rawPath.substring("/kv/".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw ApiError.badRequest("the path must be /kv/{bucket}/{key}; the key is missing");
        }
        String bucket = new String(percentDecode(rest.substring(0, slash)), StandardCharsets.UTF_8);
        checkBucket(bucket);
        byte[] key = percentDecode(rest.substring(slash + 1));
        if (key.length == 0) {
            throw ApiError.badRequest("the key is empty; keys are 1 to " + maxKeyBytes + " bytes");
        }
        if (key.length > maxKeyBytes) {
            throw ApiError.badRequest("the key is " + key.length + " bytes after URL decoding; the limit is "
                    + maxKeyBytes + " bytes (maxKeyBytes)");
        }
        return new KeyPath(bucket, key);
    }

    static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%') {
                if (i + 2 >= raw.length) {
                    throw ApiError.badRequest("bad percent-encoding at the end of '" + s + "'");
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw ApiError.badRequest("bad percent-encoding '%" + (char) raw[i + 1] + (char) raw[i + 2]
                            + "' in '" + s + "'");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Percent-encodes key bytes for display and for building URLs (unreserved characters stay). */
    public static String encode(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
