package io.kvorum.node.paxos;

import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.Sibling;

import java.util.Objects;
import java.util.Optional;

/**
 * What a compare-and-set does with the key's current value, decided inside the Paxos round on
 * the value read at a quorum (after in-progress proposals were completed). Pure: it gets the
 * coordinator's wall-clock time as a parameter.
 */
@FunctionalInterface
public interface CasOperation {

    Decision decide(Optional<KeyRecord> current, long nowMillis);

    /** The outcome of the condition. */
    sealed interface Decision permits Apply, Refuse, Read {
    }

    /**
     * Write {@code value} (or a tombstone): its stamp is replaced by one derived from the ballot,
     * so any stamp will do here.
     */
    record Apply(Sibling value) implements Decision {
        public Apply {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The condition failed; {@code why} is handed back to the caller as is. */
    record Refuse(Object why) implements Decision {
    }

    /** Nothing to write: a linearizable read. */
    record Read() implements Decision {
    }

    /** A {@code SERIAL} read. */
    static CasOperation read() {
        return (current, now) -> new Read();
    }
}
