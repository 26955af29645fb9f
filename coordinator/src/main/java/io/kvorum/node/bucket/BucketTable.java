package io.kvorum.node.bucket;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable table of configured buckets. Nodes exchange tables and merge them per bucket,
 * last change wins, so every node converges on the same properties.
 */
public record BucketTable(Map<String, VersionedProps> buckets) {
    public BucketTable {
        buckets = Map.copyOf(buckets);
    }

    public static BucketTable empty() {
        return new BucketTable(Map.of());
    }

    public Optional<VersionedProps> get(String bucket) {
        return Optional.ofNullable(buckets.get(bucket));
    }

    public BucketTable with(String bucket, VersionedProps props) {
        VersionedProps winner = props.newer(buckets.get(bucket));
        if (winner == buckets.get(bucket)) {
            return this;
        }
        Map<String, VersionedProps> next = new HashMap<>(buckets);
        next.put(bucket, winner);
        return new BucketTable(next);
    }

    public BucketTable merge(BucketTable other) {
        BucketTable t = this;
        for (Map.Entry<String, VersionedProps> e : other.buckets.entrySet()) {
            t = t.with(e.getKey(), e.getValue());
        }
        return t;
    }
}
