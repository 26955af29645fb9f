package io.kvorum.node.paxos;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.ring.HybridLogicalClock;
import io.kvorum.storage.CausalRecord;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.RecordWrites;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.VersionVector;
import io.kvorum.storage.paxos.Ballot;

import java.util.Optional;

/**
 * Builds the record a compare-and-set proposes, pure. The new value supersedes the whole current
 * value read at the quorum, so the key ends with exactly this one value:
 *
 * <ul>
 *   <li>lww: an {@link LwwRecord} stamped with the ballot's time, or, if the current value carries
 *       a later stamp (a plain write from a node whose clock is ahead), with a stamp just above it;
 *   <li>siblings: a causal record whose context is the full context of the current value and whose
 *       dot is the proposer's next one in that context ({@link RecordWrites#causalWrite}).
 * </ul>
 */
public final class CasUpdates {
    private CasUpdates() {
    }

    public static KeyRecord build(Optional<KeyRecord> current, Sibling value, Ballot ballot, boolean lww) {
        HlcTimestamp stamp = ballot.stamp();
        if (current.isPresent() && !stamp.isAfter(current.get().newestStamp())) {
            stamp = HybridLogicalClock.receive(stamp, current.get().newestStamp(), stamp.wallMillis(),
                    ballot.proposer());
        }
        Sibling stamped = new Sibling(value.value(), value.contentType(), stamp, value.tombstone());
        if (lww) {
            return LwwRecord.of(stamped);
        }
        VersionVector context = current.map(KeyRecord::context).orElse(VersionVector.empty());
        CausalRecord record = RecordWrites.causalWrite(current, context, stamped, ballot.proposer(), Integer.MAX_VALUE);
        return record;
    }
}
