package io.kvorum.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The request URIs of a run and which statuses count as success. */
final class Requests {
    private final String prefix;
    private final String readQuery;
    private final String writeQuery;

    Requests(String bucket, String readConsistency, String writeConsistency) {
        this.prefix = "/kv/" + bucket + "/";
        this.readQuery = query(readConsistency);
        this.writeQuery = query(writeConsistency);
    }

    String readUri(String key) {
        return prefix + key + readQuery;
    }

    String writeUri(String key) {
        return prefix + key + writeQuery;
    }

    static String bucketUri(String bucket) {
        return "/buckets/" + bucket;
    }

    /** 200 one value, 300 siblings. A 404 of a loaded record is an error. */
    static boolean readOk(int status) {
        return status == 200 || status == 300;
    }

    static boolean writeOk(int status) {
        return status == 204 || status == 200 || status == 300;
    }

    private static String query(String level) {
        return level == null ? "" : "?consistency=" + URLEncoder.encode(level, StandardCharsets.UTF_8);
    }
}
