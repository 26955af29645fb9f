package io.kvorum.bench;

/**
 * The bucket's conflict mode, set with {@code PUT /buckets/{bucket}} before the run. In a
 * {@code SIBLINGS} bucket an update is a read-modify-write (GET, then PUT with the
 * {@code X-Kvorum-Context} it returned), since blind writes would pile up siblings; in an {@code LWW}
 * bucket an update is one PUT.
 */
public enum Conflict {
    LWW, SIBLINGS;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
