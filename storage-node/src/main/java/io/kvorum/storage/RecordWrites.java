package io.kvorum.storage;

import java.util.Objects;
import java.util.Optional;

/** The pure write rules a replica applies inside {@link StorageEngine#update}. */
public final class RecordWrites {
    private RecordWrites() {
    }

    /**
     * A client write in a {@code siblings} bucket, coordinated by replica {@code nodeId}: the new
     * value gets the next dot of {@code nodeId} and supersedes the siblings covered by
     * {@code context}.
     *
     * <p>If the current record is an {@link LwwRecord} (the bucket was switched from lww), the
     * causal write supersedes it, as a later lww write would.
     *
     * @throws SiblingLimitException if the result would hold more than {@code maxSiblings}
     *     siblings; nothing is written
     */
    public static CausalRecord causalWrite(Optional<KeyRecord> current, VersionVector context, Sibling value,
                                           String nodeId, int maxSiblings) {
        return causalWrite(current, context, value, nodeId, maxSiblings, Long.MAX_VALUE);
    }

    /**
     * As {@link #causalWrite(Optional, VersionVector, Sibling, String, int)}, refusing too a
     * result whose sibling values add up to more than {@code maxRecordBytes}: many large siblings
     * on one key would otherwise make a record that every replica, repair and hint copies whole
     * (a few 1 MiB siblings per key are enough to exhaust a small heap). A write that supersedes
     * siblings through its context makes the record smaller, so the key can always be resolved.
     *
     * @throws RecordSizeLimitException if the result's values would exceed {@code maxRecordBytes};
     *     nothing is written
     */
    public static CausalRecord causalWrite(Optional<KeyRecord> current, VersionVector context, Sibling value,
                                           String nodeId, int maxSiblings, long maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1: " + maxRecordBytes);
        }
        CausalRecord result = causalWriteOf(current, context, value, nodeId, maxSiblings);
        long bytes = valueBytes(result);
        if (bytes > maxRecordBytes) {
            throw new RecordSizeLimitException(maxRecordBytes, bytes, result.siblings().size());
        }
        return result;
    }

    /** The bytes of every sibling's value in {@code record} together. */
    public static long valueBytes(KeyRecord record) {
        long bytes = 0;
        for (Sibling s : record.siblings()) {
            bytes += s.valueLength();
        }
        return bytes;
    }

    private static CausalRecord causalWriteOf(Optional<KeyRecord> current, VersionVector context, Sibling value,
                                              String nodeId, int maxSiblings) {
        Objects.requireNonNull(current, "current");
        if (maxSiblings < 1) {
            throw new IllegalArgumentException("maxSiblings must be >= 1: " + maxSiblings);
        }
        DvvSet base = current.filter(CausalRecord.class::isInstance)
                .map(r -> ((CausalRecord) r).dvv())
                .orElse(DvvSet.empty());
        DvvSet updated = base.update(context, value, nodeId);
        if (updated.size() > maxSiblings) {
            throw new SiblingLimitException(maxSiblings, updated.size());
        }
        return new CausalRecord(updated);
    }

    /**
     * A write in an {@code lww} bucket: the value with the highest stamp wins. The result's value
     * is not {@code value} when the write lost (it was older than what the replica has): the caller
     * can count such silently discarded writes. A current causal record (the bucket was switched
     * from siblings) is reduced to its newest sibling before the comparison.
     */
    public static LwwRecord lwwWrite(Optional<KeyRecord> current, Sibling value) {
        Objects.requireNonNull(current, "current");
        LwwRecord incoming = LwwRecord.of(value);
        if (current.isEmpty()) {
            return incoming;
        }
        KeyRecord existing = current.get();
        if (existing instanceof LwwRecord lww) {
            return lww.max(incoming);
        }
        Sibling newest = existing.siblings().stream()
                .filter(s -> s.stamp().equals(existing.newestStamp()))
                .findFirst()
                .orElseThrow();
        return LwwRecord.of(newest).max(incoming);
    }

    /** True when an lww write of {@code value} produced {@code result} without being applied. */
    public static boolean lwwDiscarded(LwwRecord result, Sibling value) {
        return !result.value().equals(value);
    }
}
