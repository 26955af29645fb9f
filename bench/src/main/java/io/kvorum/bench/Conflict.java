package io.kvorum.bench;

/**
 * The bucket's conflict mode, set with {@code PUT /buckets/{bucket}} before the run. In a
 * {@code SIBLINGS} bucket an update is a read-modify-write (GET, then PUT with the
 * {@code X-Kvorum-Context} it returned), since blind writes would pile up siblings; in an {@code LWW}
 * bucket an update is one PUT. {@code CAS} uses a siblings bucket and makes each update a
 * compare-and-set: GET, then PUT with {@code If-Match} the ETag it returned (or
 * {@code If-None-Match: *} when the key was absent), which runs through Paxos; a lost race is a
 * {@code 412}, counted under errors by status.
 */
public enum Conflict {
    LWW, SIBLINGS, CAS;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The bucket's conflict mode to set before the run. */
    public String bucketMode() {
        return this == CAS ? "siblings" : label();
    }
}
