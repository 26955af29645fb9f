package io.kvorum.storage;

import com.google.common.hash.Hashing;
import io.kvorum.ring.HlcTimestamp;
import java.util.List;

/**
 * Everything a replica stores for one key: either a causal sibling set ({@link CausalRecord},
 * buckets with {@code conflict=siblings}) or a single last-writer-wins value ({@link LwwRecord},
 * buckets with {@code conflict=lww}). A record always holds at least one sibling; a deleted key
 * holds tombstones.
 */
public sealed interface KeyRecord permits CausalRecord, LwwRecord {

    /**
     * The merge of two replicas' records for the same key.
     *
     * <ul>
     *   <li>causal + causal: {@link DvvSet#sync} (commutative, associative, idempotent);
     *   <li>lww + lww: the value with the highest {@link HlcTimestamp} (the node id in the stamp
     *       makes ties between different writes impossible), clocks merged pointwise;
     *   <li>mixed kinds (only while a bucket's conflict mode is being changed): the record whose
     *       newest sibling has the highest stamp wins whole; on equal newest stamps the causal
     *       record wins, since it keeps more information. This rule is commutative but not
     *       associative across kinds; once every replica writes one kind it no longer applies.
     * </ul>
     */
    default KeyRecord merge(KeyRecord other) {
        if (this instanceof CausalRecord a && other instanceof CausalRecord b) {
            return a.sync(b);
        }
        if (this instanceof LwwRecord a && other instanceof LwwRecord b) {
            return a.max(b);
        }
        int cmp = newestStamp().compareTo(other.newestStamp());
        if (cmp != 0) {
            return cmp > 0 ? this : other;
        }
        return this instanceof CausalRecord ? this : other;
    }

    /** All siblings, tombstones included, in a deterministic order. */
    List<Sibling> siblings();

    /** The siblings that are not tombstones. */
    default List<Sibling> liveSiblings() {
        return siblings().stream().filter(s -> !s.tombstone()).toList();
    }

    /** True when every sibling is a tombstone: the key reads as not found. */
    default boolean isDeleted() {
        return siblings().stream().allMatch(Sibling::tombstone);
    }

    /** The causal context a client gets with a read of this record. */
    VersionVector context();

    /** The highest stamp among the siblings. */
    default HlcTimestamp newestStamp() {
        HlcTimestamp newest = null;
        for (Sibling s : siblings()) {
            if (newest == null || s.stamp().isAfter(newest)) {
                newest = s.stamp();
            }
        }
        return newest;
    }

    /**
     * A short, stable hex hash of the encoded record (murmur3_128, first 64 bits): equal records
     * have equal etags on every node and across restarts.
     */
    default String etag() {
        long hash = RecordCodec.withEncoding(this,
                (bytes, length) -> Hashing.murmur3_128().hashBytes(bytes, 0, length).asLong());
        String hex = Long.toHexString(hash);
        return "0000000000000000".substring(hex.length()) + hex; // as %016x, without a Formatter per call
    }

    /** True when this record already contains everything in {@code other}: merging changes nothing. */
    default boolean descends(KeyRecord other) {
        return merge(other).equals(this);
    }
}
