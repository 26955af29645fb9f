package io.kvorum.node.bucket;

import io.kvorum.ring.HlcTimestamp;

/** Bucket properties with the hybrid-clock time of the change that set them; the later change wins. */
public record VersionedProps(BucketProps props, HlcTimestamp version) {
    /** The later of two changes; an exact tie of versions is broken by the properties, so merge stays commutative. */
    public VersionedProps newer(VersionedProps other) {
        if (other == null) {
            return this;
        }
        int c = version.compareTo(other.version);
        if (c == 0) {
            c = props.toString().compareTo(other.props.toString());
        }
        return c >= 0 ? this : other;
    }
}
